"""In-process render cost: the server time to build each benchmarked page's HTML (template
rendering and the Response object, no HTTP, no database), median of many renders.

    python -m bench.render                  # the figures, three ways in the same run
    python -m bench.render --profile        # plus a cProfile of the question page
    python -m bench.render --profile check  # ... of check answers ("conditions": that question page)

`make bench` records two ways (as served, and govuk-frontend-jinja as shipped); run on its own,
this also measures the fast macros with every component left a (hoisted) Jinja macro, i.e.
without the Python renderers of webapp/fastmacros/, to show what those renderers save.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from tests.support.firearms import COMPLETE
from webapp import engine, forces
from webapp.engine import Step
from webapp.services import SERVICES
from webapp.services.firearm_certificate import SERVICE
from webapp.web.drafts import step_url

QUESTION_PAGE = "date_of_birth"
SLUG = SERVICE.slug


def _request(app: Any, path: str) -> Request:
    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", b"bench")],
        "app": app,
        "router": app.router,
        "scheme": "http",
        "server": ("bench", 80),
        "client": ("127.0.0.1", 1),
        "root_path": "",
        "session": {f"draft:{SLUG}": 1, "force": "west-yorkshire", "csrf": "x" * 43},
        "state": {},
    }
    request = Request(scope)
    request.state.force = forces.get_force("west-yorkshire")
    return request


def page_renderers(app: Any) -> dict[str, Callable[[], Response]]:
    """name -> a function that renders that page as its handler would (the view and the template)."""
    templates = app.state.templates
    from webapp.web.stages.questions import question_context

    def home() -> Response:
        return templates.TemplateResponse(
            _request(app, "/"), "pages/home.html", {"services": SERVICES.values()}
        )

    def question(page_id: str = QUESTION_PAGE, index: int | None = None) -> Response:
        request = _request(app, f"/apply/{SLUG}/{page_id}")
        view = engine.page_view(SERVICE, COMPLETE, Step(page_id, index))
        return templates.TemplateResponse(
            request, "public/question.html", question_context(request, SERVICE, view)
        )

    def check() -> Response:
        request = _request(app, f"/apply/{SLUG}/check")
        return templates.TemplateResponse(
            request,
            "public/check.html",
            {
                "service": SERVICE,
                "summary": engine.check_answers(SERVICE, COMPLETE),
                "fee": None,
                "change_url": lambda row: step_url(
                    SERVICE, Step(row.page_id, row.index), **{"return": "check"}
                ),
            },
        )

    return {
        "home page": home,
        f"question page ({QUESTION_PAGE})": question,
        "check answers (full)": check,
    }


def every_question_page() -> list[Step]:
    steps = []
    for page_id, ref in SERVICE.pages.items():
        steps.append(Step(page_id, 0 if ref.group is not None and not ref.is_add_another else None))
    return steps


def median_ms(render: Callable[[], Any], runs: int = 300) -> float:
    for _ in range(20):
        render()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _app(fast: bool, *, python_macros: bool = True) -> Any:
    import jinja2
    from starlette.templating import Jinja2Templates

    from bench.server import create_real_app
    from webapp import fastmacros
    from webapp.templating import TEMPLATE_DIR, _request_context, create_environment

    app = create_real_app()
    env = create_environment(fast=fast)
    if fast and not python_macros:
        env.loader = jinja2.ChoiceLoader(
            [
                jinja2.FileSystemLoader(TEMPLATE_DIR),
                jinja2.PrefixLoader(
                    {"govuk_frontend_jinja": fastmacros.loader(python_macros=False)}
                ),
            ]
        )
    app.state.templates = Jinja2Templates(env=env, context_processors=[_request_context])
    return app


def _figures(app: Any, runs: int) -> dict[str, Any]:
    renderers = page_renderers(app)
    figures: dict[str, Any] = {name: median_ms(render, runs) for name, render in renderers.items()}
    question = renderers[f"question page ({QUESTION_PAGE})"]
    per_page = {
        step.page_id: median_ms(lambda step=step: question(step.page_id, step.index), 40)  # type: ignore[misc]
        for step in every_question_page()
    }
    ordered = sorted(per_page.values())
    figures["every question page"] = {
        "median": statistics.median(ordered),
        "max": ordered[-1],
        "slowest": max(per_page, key=per_page.__getitem__),
        "count": len(ordered),
    }
    return figures


def bench_render(runs: int = 300, *, hoisted_only: bool = False) -> dict[str, dict[str, Any]]:
    """Median ms per benchmarked page, and the spread over every question page of the journey:
    as the app renders them (fast macros) and, in the same run, with govuk-frontend-jinja as
    shipped (the baseline); with ``hoisted_only``, also the fast macros without the Python
    renderers. The HTML is the same every way (tests/unit/test_render_equivalence.py)."""
    figures = {"fast macros (as served)": _figures(_app(fast=True), runs)}
    if hoisted_only:
        figures["fast macros without the Python renderers"] = _figures(
            _app(fast=True, python_macros=False), runs
        )
    figures["govuk-frontend-jinja as shipped (baseline)"] = _figures(_app(fast=False), runs)
    return figures


def profile(app: Any = None, page: str = QUESTION_PAGE) -> None:
    import cProfile
    import pstats

    app = app or _app(fast="--baseline" not in sys.argv)
    renderers = page_renderers(app)
    question = renderers[f"question page ({QUESTION_PAGE})"]
    render = renderers["check answers (full)"] if page == "check" else (lambda: question(page))
    render()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(300):
        render()
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    if "--profile" in sys.argv:
        rest = sys.argv[sys.argv.index("--profile") + 1 :]
        profile(page=rest[0] if rest and not rest[0].startswith("-") else QUESTION_PAGE)
        sys.exit()
    for variant, figures in bench_render(hoisted_only=True).items():
        print(variant)
        for name, value in figures.items():
            print(f"  {name:34} {value if isinstance(value, dict) else f'{value:.3f} ms'}")
