"""``alliance-kit serve``: the kit in the browser."""

from __future__ import annotations

import argparse

from ..i18n import N_, _

HELP = N_("Serve the kit with Voila and open the landing page.")
#: The largest group one server keeps warm kernels for (each costs 50-60 MiB).
MAX_WORKSHOP = 200


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..serve import DEFAULT_PORT
    from .arguments import name, number, text, whole_number

    parser.add_argument(
        "--port",
        type=whole_number(1, 65535),
        default=DEFAULT_PORT,
        help=_("port (default %(default)s)"),
    )
    parser.add_argument(
        "--ip",
        type=text(253, _("the address")),
        default="127.0.0.1",
        help=_(
            "address to listen on (default %(default)s: this machine only). Serving a room "
            "on a shared address is a deliberate choice: put the kit behind your hub or proxy. "
            "Any address but this machine's turns on shared mode (see --shared)."
        ),
    )
    parser.add_argument(
        "--no-browser", action="store_true", help=_("do not open a browser tab on start")
    )
    parser.add_argument(
        "--workshop",
        type=whole_number(0, MAX_WORKSHOP),
        default=0,
        metavar="N",
        help=_("a group of N: keep N warm kernels for each --page (the landing page needs none)"),
    )
    parser.add_argument(
        "--page",
        type=name(100, _("page name")),
        action="append",
        default=[],
        metavar="NAME",
        help=_("with --workshop: a page the group will open together (e.g. learn_trust); repeat"),
    )
    parser.add_argument(
        "--cull-minutes",
        type=number(0, 7 * 24 * 60),
        default=60,
        metavar="M",
        help=_(
            "stop a page's kernel after M idle minutes, also in a forgotten open tab "
            "(default %(default)s; 0 never)"
        ),
    )
    parser.add_argument(
        "--no-preheat", action="store_true", help=_("start every page's kernel on demand")
    )
    parser.add_argument(
        "--shared",
        action="store_true",
        help=_(
            "one server for a group (implied by --workshop): pages keep no personal data "
            "(no saved reflections, no journal), since every visitor would share them"
        ),
    )


def run(args: argparse.Namespace) -> int:
    from ..paths import modules_dir
    from ..serve import ServeOptions, serve
    from ..web_guard import is_loopback

    known = {nb.stem for nb in modules_dir().glob("*.ipynb")}
    unknown = [p for p in args.page if p.removesuffix(".ipynb") not in known]
    if unknown:
        print(_("alliance-kit serve: unknown page(s): {pages}").format(pages=", ".join(unknown)))
        print(_("Known pages: {pages}").format(pages=", ".join(sorted(known))))
        return 2
    if args.workshop < 0 or args.workshop > MAX_WORKSHOP:
        print(
            _("alliance-kit serve: --workshop takes a group size from 0 to {most}").format(
                most=MAX_WORKSHOP
            )
        )
        return 2
    options = ServeOptions(
        port=args.port,
        ip=args.ip,
        open_browser=not args.no_browser,
        workshop=args.workshop,
        workshop_pages=list(args.page),
        cull_minutes=args.cull_minutes,
        preheat=not args.no_preheat,
        shared=args.shared,
    )
    if not is_loopback(options.ip):
        print(
            _(
                "alliance-kit serve: listening on {address}, where other computers can reach "
                "the kit, so shared mode is on: pages keep no personal data (no saved "
                "reflections, no journal, no gradebook)."
            ).format(address=options.ip),
            flush=True,
        )
    return serve(options)
