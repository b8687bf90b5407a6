"""``datalk topics list|notebooks``: the thematic areas from the command line."""

from __future__ import annotations

import click


@click.group()
def topics() -> None:
    """Témata portálu: seznam, notebooky."""


@topics.command("list")
def topics_list() -> None:
    """Vypíše témata v pořadí navigace."""
    from datalk.topics import all_topics

    for topic in all_topics():
        click.echo(f"{topic.order:>2}  {topic.id:<22} {topic.title.cs}")


@topics.command("notebooks")
def topics_notebooks() -> None:
    """Znovu vygeneruje tenké notebooky všech témat z jejich YAML."""
    from datalk.settings import get_settings
    from datalk.topics import all_topics
    from datalk.topics.scaffold import write_notebook

    for topic in all_topics():
        click.echo(write_notebook(topic, get_settings().notebooks_dir))
