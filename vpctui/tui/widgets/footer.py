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
    the first paint. Here the keys are composed with the footer (the screen's bindings are known
    by then), a burst of signals costs one check, before the next frame; a key that only turns on
    or off (trace, matrix, yaml once a network is loaded) is updated in place, and the keys are
    recomposed only when which keys are shown changes.
    """

    _sync_pending = False
    _shown: Optional[tuple] = None  # (key, action, description, tooltip) of the keys composed

    def compose(self):
        self._bindings_ready = True
        self._shown = self._shown_keys()[1]
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # FooterKey starts compact and is then bound to the footer's (not compact): two
                # restyles per key on mount. Start it at the footer's value instead.
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    def _shown_keys(self) -> tuple[list, tuple]:
        """The first active key of each action the footer shows, and what the footer looks like
        with them: (action, key as displayed, description, tooltip) each."""
        palette = self.app.COMMAND_PALETTE_BINDING
        active = []
        seen: set[str] = set()
        for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items():
            if (binding.show or key == palette) and binding.action not in seen:
                seen.add(binding.action)  # Footer shows one key per action (? for help, not f1)
                active.append((binding, enabled, tooltip))
        shown = tuple((b.action, self.app.get_key_display(b), b.description, tooltip) for b, _e, tooltip in active)
        return active, shown

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._sync_pending:
            self._sync_pending = True
            self.call_later(self._sync)

    async def _sync(self) -> None:
        self._sync_pending = False
        active, shown = self._shown_keys()
        if shown != self._shown:
            await self.recompose()
            return
        # the same keys on screen: a key that another binding now answers (space on the network
        # tree: l still steps) and a key turned on or off are updated in place. FooterKey shows
        # "off" with its -disabled class (and keeps the flag to ring the bell on a click); it is
        # not a disabled widget.
        keys = {k.action: k for k in self.query(FooterKey)}
        for binding, enabled, _tooltip in active:
            widget = keys.get(binding.action)
            if widget is None or not hasattr(widget, "_disabled"):
                await self.recompose()
                return
            widget.key = binding.key  # what a click on it presses
            if widget._disabled == enabled:
                widget._disabled = not enabled
                widget.set_class(not enabled, "-disabled")
