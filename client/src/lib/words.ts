// Word counting as the server does it: the prompt split on whitespace.

export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed ? trimmed.split(/\s+/).length : 0;
}

export interface WordCheck {
  words: number;
  max: number;
  over: boolean;
  empty: boolean;
  label: string;
}

export function checkWords(text: string, max: number): WordCheck {
  const words = countWords(text);
  return {
    words,
    max,
    over: words > max,
    empty: words === 0 || !/\p{L}/u.test(text),
    label: `${words} / ${max} word${max === 1 ? "" : "s"}`,
  };
}
