"""``chainrule explore [--port N] [--no-browser]``: the chain rule playground.

Serves :mod:`chainrule.explore` on 127.0.0.1 (a free port unless ``--port`` is given),
prints the URL and opens it in the browser. Ctrl+C stops it. Needs the ``explore``
extra (``pip install 'chainrule[explore]'``).
"""

from __future__ import annotations

from chainrule.cli._common import CLIError


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "explore",
        help="the chain rule playground: a local web app in the browser",
        description="Serve the chain rule playground on 127.0.0.1: derivatives step by "
        "step, computation graphs at a point, and a small network trained step by step.",
    )
    p.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    p.add_argument("--no-browser", action="store_true", help="only print the URL")
    p.add_argument("--timeout", type=float, default=5.0, metavar="SECONDS",
                   help="time allowed for one expression (default: 5)")  # fmt: skip
    p.set_defaults(func=run)


def run(args) -> int:
    if not 0 <= args.port <= 65535:
        raise CLIError(f"--port must be 0..65535, got {args.port}")
    if not 0 < args.timeout <= 600:
        raise CLIError(f"--timeout must be in (0, 600] seconds, got {args.timeout:g}")
    from chainrule.explore import serve

    serve(port=args.port, open_browser=not args.no_browser, timeout=args.timeout)
    return 0
