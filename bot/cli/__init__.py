"""The `redline` command: one click group; each command module registers itself here."""

from __future__ import annotations

import sys
from typing import Any

import click

from bot import __version__
from bot.domain.errors import RedlineError


class RedlineGroup(click.Group):
    """A click group that turns every error into one clear sentence on stderr."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except RedlineError as e:
            click.echo(f"Error: {e}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except OSError as e:
            click.echo(
                f"Error: {e.strerror or e} ({e.filename})" if e.filename else f"Error: {e}",
                err=True,
            )
            sys.exit(1)


@click.group(cls=RedlineGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="redline")
def main() -> None:
    """Redline: polls news sources, runs YAML watch rules, posts alerts to chat."""


# Command modules register themselves on import; each imports heavy libraries lazily,
# inside its commands, so `redline --help` stays fast.
from bot.cli import chat as _chat  # noqa: E402, F401
from bot.cli import core as _core  # noqa: E402, F401
from bot.cli import desk as _desk  # noqa: E402, F401
from bot.cli import rules as _rules  # noqa: E402, F401
