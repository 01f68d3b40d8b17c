"""Three people in three browser contexts play a whole 2-round game to the podium."""

from __future__ import annotations

from .conftest import Player, Referee, Shots
from .helpers import play_turn

PROMPTS = ["angry cat", "horse on a roof", "banana boat", "red balloon", "pizza party", "snowy mountain"]


def reload_mid_turn(player: Player, players: list[Player]) -> Player:
    """Reload the page in the middle of guessing: same seat, same score, same guesses."""
    before = player.view()
    me = before["you"]
    # what the page shows, newest first: a wrong guess is answered by its acknowledgement
    # only (no view follows it), so the last view may not list it yet
    shown = player.page.locator(".guess-list .guess-text").all_inner_texts()
    player.page.reload()
    after = player.wait_view("(v, a) => v.phase === 'guessing' && v.turn.number === a", before["turn"]["number"])
    assert after["you"]["id"] == me["id"]
    assert after["you"]["score"] == me["score"]
    assert [g["text"] for g in after["turn"]["yours"]["guesses"]] == list(reversed(shown))
    player.page.locator(".guess-list .guess-item").first.wait_for()
    player.page.get_by_label("Your guess", exact=True).wait_for()
    # nobody else lost their seat, and the room still counts three players
    assert len([m for m in after["members"] if m["role"] == "player"]) == 3
    return player


def test_three_players_two_rounds_to_the_podium(people, referee: Referee, shots: Shots, server: str) -> None:
    ann, bob, cy = people("Ann"), people("Bob"), people("Cy")
    ann.open("/")
    shots.take(ann, "home")

    code = ann.create_room()
    referee.join(code)
    bob.join_by_code(code)  # by code, on the home screen
    link = ann.page.get_by_test_id("invite-link").inner_text()
    assert link.endswith(f"/r/{code}")
    cy.open(f"/r/{code}")
    shots.take(cy, "invite-link")
    cy.join_by_link(link)  # by link

    # the host sets two rounds; the others see the setting read-only
    ann.page.get_by_label("Rounds").select_option("2")
    bob.wait_view("v => v.settings.rounds === 2")
    assert bob.page.locator(".settings-list").get_by_text("Rounds").is_visible()
    assert bob.page.get_by_label("Rounds").count() == 0

    bob.page.get_by_role("textbox", name="Chat message").fill("hello from Bob")
    bob.page.get_by_role("button", name="Send message").click()
    ann.page.get_by_text("hello from Bob").wait_for()

    for p in (bob, cy):
        p.page.get_by_role("button", name="I'm ready").click()
    ann.wait_view("v => v.members.filter(m => m.ready).length === 2")
    shots.take(ann, "lobby-host")
    shots.take(bob, "lobby-guest")
    ann.page.get_by_role("button", name="Start the game").click()

    players = [ann, bob, cy]
    for number, prompt in enumerate(PROMPTS, start=1):
        play_turn(
            players,
            number,
            prompt,
            shots if number in (1, 2, 4) else None,
            mid_guess=reload_mid_turn if number == 2 else None,
        )
        server_view = referee.wait(
            lambda v, n=number: (
                v["turn"] and v["turn"]["number"] == n and v["phase"] in ("reveal", "prompting", "finished")
            )
        )
        assert server_view["turn"]["number"] >= number

    for p in players:
        p.wait_phase("finished", timeout=30_000)
    final = referee.wait(lambda v: v["phase"] == "finished")
    shots.take(ann, "finished-host")
    shots.take(bob, "finished-guest")

    # scores on every screen match the server's
    standings = {s["playerId"]: s["score"] for s in final["standings"]}
    assert len(standings) == 3 and all(score > 0 for score in standings.values())
    assert {m["id"]: m["score"] for m in final["members"] if m["role"] == "player"} == standings
    for p in players:
        assert {s["playerId"]: s["score"] for s in p.view()["standings"]} == standings
        for player_id, score in standings.items():
            assert p.page.get_by_test_id(f"standing-{player_id}").inner_text().strip() == str(score)
            assert (
                p.page.get_by_test_id(f"score-{player_id}").locator(".score .visually-hidden").text_content()
                == f"{score} points"
            )
    winners = [s["name"] for s in final["standings"] if s["place"] == 1]
    title = f"{winners[0]} wins!" if len(winners) == 1 else " and ".join(winners) + " share the win!"
    assert ann.page.get_by_role("heading", name=title.replace(" and ", ", ", len(winners) - 2)).is_visible()

    # the album: six turns, each with its image and a download link
    assert ann.page.locator(".album-card").count() == 6
    for prompt in PROMPTS:
        assert ann.page.get_by_role("img", name=prompt, exact=True).count() == 1
    assert ann.page.get_by_role("link", name="Download image").count() == 6

    # the host starts another game in the same room
    # only the host opens a new game; the others go back when they choose
    assert bob.page.get_by_role("button", name="New game").count() == 0
    ann.page.get_by_role("button", name="New game").click()
    for p in players:
        p.wait_phase("lobby")
    for p in players[1:]:
        p.page.get_by_role("button", name="Back to the lobby").click()
    bob.page.get_by_role("heading", name="Ready for another game?").wait_for()
    shots.take(bob, "new-game-lobby")
