"""`ally config`: show or change the settings."""

from pathlib import Path
from typing import Annotated

import typer

from allyjournal import reports
from allyjournal.commands.common import journal, refuse_inside
from allyjournal.core.config import SETTINGS, parse_setting


def config(
    ctx: typer.Context,
    key: Annotated[str | None, typer.Argument(help=f"{', '.join(SETTINGS)}.")] = None,
    value: Annotated[
        str | None, typer.Argument(help="New value; omit to show the current one.")
    ] = None,
    unset: Annotated[bool, typer.Option("--unset", help="Return KEY to its default.")] = False,
) -> None:
    """Show or change settings.

    Examples:

      ally config                  (all settings)

      ally config goal 4           (help four allies a week)

      ally config week-start sunday

      ally config editor "code --wait"
    """

    if key is None:
        reports.show_config(journal(ctx).config(), SETTINGS)
        return
    if key not in SETTINGS:
        parse_setting(key, value or "")
    # Changing a setting does not read the others, so a bad value stored for one key can
    # always be corrected or unset.
    if unset:
        journal(ctx).set_config(key, None)
        typer.echo(f"{key} = {SETTINGS[key].default} (default)")
    elif value is None:
        typer.echo(f"{journal(ctx).config().value(key)}")
    else:
        parsed = parse_setting(key, value)
        if key == "calendar":
            refuse_inside(Path(parsed), journal(ctx))
        journal(ctx).set_config(key, parsed)
        typer.echo(f"{key} = {parsed}")
