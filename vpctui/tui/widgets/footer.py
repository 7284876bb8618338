"""The key bar: Textual's Footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Optional

from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    """Textual's Footer recomposes (unmounts and mounts every key) on each bindings signal, after
    the next refresh, and a signal comes with every focus call, even to the focused widget.
    Starting the app sent seven signals and made five recomposes, each its own frame: a third of
    the first paint. Here a burst of signals costs one check, before the next frame; a key that
    only turns on or off (trace, matrix, yaml once a network is loaded) is updated in place, and
    the keys are recomposed only when which keys are shown changes.
    """

    _sync_pending = False
    _shown: Optional[tuple] = None  # (key, action, description, tooltip) of the keys composed

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._sync_pending:
            self._sync_pending = True
            self.call_later(self._sync)

    async def _sync(self) -> None:
        self._sync_pending = False
        palette = self.app.COMMAND_PALETTE_BINDING
        active = [(key, binding, enabled, tooltip)
                  for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
                  if binding.show or key == palette]
        shown = tuple((key, b.action, b.description, tooltip) for key, b, _enabled, tooltip in active)
        if shown != self._shown:
            self._shown = shown
            await self.recompose()
            return
        # FooterKey shows "off" with its -disabled class (and keeps the flag to ring the bell on a
        # click); it is not a disabled widget
        keys = {(k.key, k.action): k for k in self.query(FooterKey)}
        seen: set[str] = set()
        for key, binding, enabled, _tooltip in active:
            if binding.action in seen:
                continue  # Footer shows the first key of an action (? for help, not f1 too)
            seen.add(binding.action)
            widget = keys.get((binding.key, binding.action))
            if widget is None or not hasattr(widget, "_disabled"):
                await self.recompose()
                return
            if widget._disabled == enabled:
                widget._disabled = not enabled
                widget.set_class(not enabled, "-disabled")
