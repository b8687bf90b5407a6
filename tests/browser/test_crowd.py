"""A crowd of live visitors on a small machine: notebook runs take turns, everyone is served.

Before the limit, a burst of 50 visitors started 50 kernels at once and, with a preheated
pool, nobody got a page within 10 minutes (bench/load.py). Here the limit is one run, so
three visitors arriving together must be served one after another, each a whole page.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.browser.servers import start_portal, stop

pytestmark = pytest.mark.browser

TOPICS = ["sport", "culture", "education"]


@pytest.fixture(scope="module")
def one_run_portal(portal_cache, mirror_dir, artifacts_dir, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("one-run-portal")
    server = start_portal(
        portal_cache,
        mirror_dir,
        workdir,
        artifacts_dir / "one-run-portal-server.log",
        preheat=[],
        options=("--no-preheat", "--max-runs", "1"),
    )
    yield server
    stop(server.proc)


def test_visitors_beyond_the_run_limit_wait_their_turn_and_all_get_their_page(one_run_portal):
    def visit(topic: str) -> requests.Response:
        return requests.get(f"{one_run_portal.url}/voila/render/{topic}.ipynb", timeout=600)

    with ThreadPoolExecutor(len(TOPICS)) as pool:
        responses = list(pool.map(visit, TOPICS))

    for topic, response in zip(TOPICS, responses, strict=True):
        assert response.status_code == 200, topic
        page = response.text
        assert '"kernelId"' in page and "dl-topic-header" in page, f"{topic}: not a topic page"
        assert page.rstrip().endswith("</html>"), f"{topic}: the page was cut off"
    waited = one_run_portal.count("waits for a free run")
    assert waited == len(TOPICS) - 1, one_run_portal.log_text()[-3000:]
