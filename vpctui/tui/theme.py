"""The TUI's themes and how the semantic roles of vpctui/render/glyphs.py become theme colours.

Theme variables only (``$success``, ``$error``, ...), never hex colours in widgets, so every
Textual theme and the high-contrast projector themes work.
"""

from __future__ import annotations

from textual.app import App
from textual.theme import Theme

from ..render.glyphs import ERROR, MUTED, SUCCESS, WARNING, Glyph

# High contrast for projectors (washed-out colours) and for 16-colour terminals: black on white,
# saturated dark accents. Meaning never rests on colour anyway (glyph + word everywhere).
CONTRAST_THEME = Theme(
    name="vpctui-contrast",
    primary="#0000AA",
    secondary="#000000",
    accent="#AA00AA",
    foreground="#000000",
    background="#FFFFFF",
    surface="#FFFFFF",
    panel="#E0E0E0",
    success="#006400",
    warning="#8B4500",
    error="#B00000",
    dark=False,
    variables={"border": "#000000", "border-blurred": "#606060", "footer-key-foreground": "#0000AA",
               "block-cursor-background": "#0000AA", "block-cursor-foreground": "#FFFFFF"},
)
CONTRAST_DARK_THEME = Theme(
    name="vpctui-contrast-dark",
    primary="#FFFF00",
    secondary="#FFFFFF",
    accent="#00FFFF",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#202020",
    success="#00FF00",
    warning="#FFFF00",
    error="#FF5050",
    dark=True,
    variables={"border": "#FFFFFF", "border-blurred": "#A0A0A0",
               "block-cursor-background": "#FFFF00", "block-cursor-foreground": "#000000"},
)
THEMES = (CONTRAST_THEME, CONTRAST_DARK_THEME)

# role -> the theme variable of Textual content markup. Muted is "dim": `$text-muted` carries an
# alpha that content markup drops, and it drew muted words in full white.
ROLE_VAR = {SUCCESS: "$success", ERROR: "$error", WARNING: "$warning", MUTED: "dim"}


def register_themes(app: App) -> None:
    for theme in THEMES:
        app.register_theme(theme)


def role_var(role: str) -> str:
    return ROLE_VAR.get(role, "$warning")


def role_style(app: App, role: str, bold: bool = False) -> str:
    """A Rich style for a role in the current theme, for Rich ``Text`` cells (Tree and DataTable
    rows do not resolve theme variables). Muted is Rich's dim."""
    if role == MUTED:
        colour = "dim"
    else:
        colour = getattr(app.current_theme, role, None) or ""
    return f"bold {colour}".strip() if bold else colour


def glyph_markup(g: Glyph, *, bold: bool = False, word: bool = True, width: int = 0) -> str:
    """A glyph (and its word, padded to ``width``) as content markup in its role's colour. The
    words are vpctui's own, never data."""
    text = f"{g.glyph} {g.word:<{width}}" if word else g.glyph
    return f"[{'bold ' if bold else ''}{role_var(g.role)}]{text}[/]"
