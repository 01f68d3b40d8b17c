export function Footer() {
  return (
    <footer className="footer">
      <p>
        Pictograms by{" "}
        <a href="https://openmoji.org/" target="_blank" rel="noopener noreferrer">
          OpenMoji
        </a>{" "}
        – the open-source emoji and icon project. License:{" "}
        <a href="https://creativecommons.org/licenses/by-sa/4.0/" target="_blank" rel="noopener noreferrer">
          CC BY-SA 4.0
        </a>
      </p>
    </footer>
  );
}
