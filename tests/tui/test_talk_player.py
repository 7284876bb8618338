"""A talk script played with the clicker keys: each press one step; PageUp goes back."""

from __future__ import annotations

from pathlib import Path

from vpctui.engine.result import DROP, REACHABLE
from vpctui.loaders.scenario import ScenarioSource
from vpctui.loaders.talk import load_talk
from vpctui.tui.app import VpcTuiApp

ROOT = Path(__file__).resolve().parents[2]
TALK = ROOT / "scenarios" / "talks" / "lambda-vpc.yaml"


async def _press(pilot, app, key: str, times: int = 1) -> None:
    for _ in range(times):
        await pilot.press(key)
        await app.workers.wait_for_complete()
        await pilot.pause()


def _caption(app) -> str:
    return str(app.query_one("#talk-caption").render())


async def test_the_shipped_talk_plays_step_by_step_and_back():
    talk = load_talk(str(TALK))
    app = VpcTuiApp(source=ScenarioSource(talk.scenario), talk=talk)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.demo and app.trace is None
        await _press(pilot, app, "pagedown")  # say
        assert "Which of them can read an S3 object?" in _caption(app)
        assert "step 1/" in _caption(app)
        await _press(pilot, app, "pagedown", 3)  # pane, say, trace lambda-1-public
        assert app.trace is not None and app.trace.source == "lambda-1-public"
        assert app.hop_index == 0
        await _press(pilot, app, "space")  # hop: drop
        assert app.hops()[app.hop_index].result == DROP
        await _press(pilot, app, "pagedown", 2)  # say, trace lambda-3-isolated
        assert app.trace.source == "lambda-3-isolated" and app.hop_index == 0
        await _press(pilot, app, "pagedown", 2)  # hop next, next
        assert app.hop_index == 2
        await _press(pilot, app, "pagedown", 2)  # hop drop, say
        blocked = app.trace
        assert blocked.verdict != REACHABLE
        await _press(pilot, app, "pagedown")  # fix: apply
        assert app.trace.source == "lambda-3-isolated" and app.trace.verdict == REACHABLE
        assert app.changes is not None and len(app.changes.done) == 1
        # back one step: the fix is undone, the drop is on screen again
        await _press(pilot, app, "pageup")
        assert app.trace.verdict == blocked.verdict and not app.changes.done
        assert app.hops()[app.hop_index].result == DROP
        # forward to the end: the matrix
        await _press(pilot, app, "pagedown", len(talk.steps) - app.talk_player.position)
        assert app.talk_player.done and app.mode == "matrix"
        await _press(pilot, app, "pagedown")  # past the end: nothing breaks
        assert app.mode == "matrix"


async def test_a_step_that_cannot_trace_says_so_and_the_talk_goes_on(tmp_path):
    p = tmp_path / "t.yaml"
    p.write_text("steps:\n  - trace: {from: no-such-function, to: s3}\n  - say: still here\n")
    app = VpcTuiApp(source=ScenarioSource(), talk=load_talk(str(p)))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await _press(pilot, app, "pagedown")
        assert app.trace is None
        assert any("could not trace no-such-function" in n.message for n in app._notifications)
        await _press(pilot, app, "pagedown")
        assert "still here" in _caption(app)


async def test_space_and_the_arrows_step_a_talk_even_with_the_tree_focused():
    talk = load_talk(str(TALK))
    app = VpcTuiApp(source=ScenarioSource(talk.scenario), talk=talk)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        from vpctui.tui.widgets.network import NetworkPane

        assert isinstance(app.focused, NetworkPane)
        await _press(pilot, app, "space")
        assert app.talk_player.position == 1
        await _press(pilot, app, "right")
        assert app.talk_player.position == 2
        await _press(pilot, app, "left")
        assert app.talk_player.position == 1


async def test_space_outside_presentation_mode_still_belongs_to_the_tree():
    app = VpcTuiApp(source=ScenarioSource())
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        tree = app.focused
        node = tree.cursor_node
        expanded = node.is_expanded
        await _press(pilot, app, "space")
        assert node.is_expanded != expanded and app.trace is None
