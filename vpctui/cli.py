"""vpctui's command line: the TUI by default, headless subcommands for scripts and CI.

Exit codes: 0 success (trace: reachable; check: every expectation holds), 1 not reachable /
an expectation failed, 2 usage or input error (a live account whose functions could not be listed
included), 130 interrupted. Errors are one line on stderr; --debug shows the traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Optional, Sequence

from . import __version__
from .outfile import OutputError, OutputFile

SUBCOMMANDS = ("trace", "matrix", "subnets", "check", "validate", "screenshot", "export", "serve", "diff", "fix")

EPILOG = """\
commands:
  vpctui [SCENARIO] [--to TARGET ...]     open the TUI (no SCENARIO: the built-in demo)
  vpctui INPUT...                         Terraform state/plan JSON, CloudFormation/SAM/CDK templates,
                                          merged into one network (docs/iac.md); [--param K=V] [--params FILE]
  vpctui --aws [--profile P] [--region R] [--vpc VPC_ID ...] [--to TARGET ...]   open the TUI on a live account
  vpctui trace  [SCENARIO] --from FUNCTION --to TARGET [--format text|md|json|tsv]
  vpctui matrix [SCENARIO] [--to TARGET ...] [--from FUNCTION ...] [--format ...] [--fail-on blocked|unknown|any]
  vpctui subnets [SCENARIO] [--json]      what each subnet is for a Lambda (public, private via NAT, ...)
  vpctui check  SCENARIO... [--format ...]   evaluate the files' expect: blocks
  vpctui validate SCENARIO...             (Terraform/CloudFormation inputs too, one at a time)
  vpctui screenshot [SCENARIO] --out FILE.svg [--size 120x36] [--press KEYS]
  vpctui export --aws [...] -o FILE.yaml [--to TARGET ...] [--redact]
  vpctui export INPUT... -o FILE.yaml     any Terraform/CloudFormation input as a scenario file
  vpctui serve [SCENARIO | --aws ...] [--host 127.0.0.1] [--port 8000] [TUI flags]   the TUI in a browser
  vpctui diff BEFORE AFTER [--to TARGET ...] [--format text|md|json]   what a change breaks or fixes
  vpctui fix  [SCENARIO] --from FUNCTION --to TARGET [-o OUT.yaml] [--json]   fixes as edits, CLI, snippet
  (trace, matrix, subnets, check and fix also take --aws [--profile P] [--region R] [--vpc ID])
  (SCENARIO may be Terraform/CloudFormation INPUT files anywhere; check evaluates its scenario files'
   expect: blocks against the network of the INPUT files given with them)

TARGET: s3://BUCKET/KEY  s3://BUCKET  ssm:NAME  dynamodb:TABLE  secretsmanager:NAME  sqs:QUEUE
        a service (s3, ssm, sts, ...)  https://HOST[:PORT]  IP:PORT  HOST:PORT

live accounts: matrix --aws without --to traces the default targets (what the roles' policies name,
the VPC endpoints' services), listed on stderr with their origin. The load has one deadline
(--deadline SECONDS, VPCTUI_AWS_DEADLINE, default 60): what is not read by then is unknown, named.

--format: text (terminals; piped or redirected it is never cut), md (Markdown for a ticket or a
pull request), json (--json is the same), tsv (a header row, then one row per hop / cell / result).

exit codes: 0 ok / reachable, 1 not reachable (blocked, intermittent, unknown) or an expectation
failed, 2 usage or input error (an unknown command, a file that does not exist, no terminal for
the TUI; with --aws also: the functions could not be listed), 130 interrupted (Ctrl-C).
matrix: 0 whatever the cells say, unless --fail-on: 1 when a cell is blocked or intermittent
(blocked), unknown (unknown), or either (any). The TUI: 1 when it quits after a failed load.
diff: 1 when something that was reachable is not any more.
fix: 0 when a fix is known (with -o: the trace from OUT is reachable), 1 otherwise.
"""


FORMATS = ("text", "md", "json", "tsv")


class UsageError(Exception):
    pass


def _aws_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("live AWS account (read-only; boto3's own credential chain)")
    g.add_argument("--aws", action="store_true", help="read the network from AWS instead of a file")
    g.add_argument("--profile", action="append", default=[],
                   help="AWS profile (default: AWS_PROFILE / boto3's chain); repeat for several accounts in one network")
    g.add_argument("--region", action="append", default=[],
                   help="AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's); repeat for several regions")
    g.add_argument("--assume-role", action="append", default=[], metavar="ROLE_ARN",
                   help="also read the account of this role (boto3 assumes it with the first --profile's credentials); repeatable")
    g.add_argument("--vpc", action="append", default=[], metavar="VPC_ID", help="only these VPCs (repeatable)")
    g.add_argument("--redact", action="store_true", help="mask account ids and ARNs")
    g.add_argument("--deadline", type=float, metavar="SECONDS",
                   help="give up waiting after this long; what is unread is unknown (default: VPCTUI_AWS_DEADLINE or 60)")


def _iac_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("Terraform and CloudFormation inputs (docs/iac.md)")
    g.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="a template parameter or pseudo-parameter (AWS::Region=...); repeatable")
    g.add_argument("--params", action="append", default=[], metavar="FILE",
                   help="a parameters file (the AWS CLI's JSON list, or a mapping); repeatable")


def _format_args(p: argparse.ArgumentParser, json_help: str = "same as --format json") -> None:
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="text (for a terminal; never cut when piped), md (Markdown for a ticket or a pull "
                        "request), json, tsv (for scripts; a header row first)")
    p.add_argument("--json", action="store_true", help=json_help)


def _fmt(args) -> str:
    if args.json and args.format not in (None, "json"):
        raise UsageError(f"--json and --format {args.format} disagree: give one")
    return "json" if args.json else (args.format or "text")


def _parser(cmd: Optional[str]) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", help="show tracebacks")
    if cmd is None:
        p = argparse.ArgumentParser(prog="vpctui", parents=[common], epilog=EPILOG,
                                    formatter_class=argparse.RawDescriptionHelpFormatter,
                                    description="Explore AWS VPC networking; trace why a Lambda times out.")
        p.add_argument("scenario", nargs="*", metavar="SCENARIO",
                       help="scenario file (YAML), or Terraform/CloudFormation inputs; default: the built-in demo")
        p.add_argument("--demo", action="store_true", help="presentation mode: no animations, quiet footer, clicker keys")
        p.add_argument("--script", metavar="TALK.yaml",
                       help="play a talk script one clicker press a step (implies --demo; see docs/tui.md)")
        p.add_argument("--theme", help="Textual theme (e.g. vpctui-contrast for projectors)")
        p.add_argument("--no-mouse", action="store_true",
                       help="no mouse reporting: over a slow SSH link every mouse motion otherwise costs a repaint")
        p.add_argument("--to", dest="targets", action="append", default=[], metavar="TARGET",
                       help="a matrix column besides the input's own targets (repeatable; + adds one in the TUI)")
        p.add_argument("--version", action="version", version=f"vpctui {__version__}")
        _aws_args(p)
        _iac_args(p)
        return p
    p = argparse.ArgumentParser(prog=f"vpctui {cmd}", parents=[common], epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    if cmd in ("trace", "matrix", "check", "screenshot", "export"):
        _iac_args(p)
    if cmd == "trace":
        p.add_argument("scenario", nargs="*", metavar="SCENARIO")
        p.add_argument("--from", dest="source", required=True, metavar="FUNCTION")
        p.add_argument("--to", dest="target", required=True, metavar="TARGET")
        _format_args(p)
        _aws_args(p)
    elif cmd == "matrix":
        p.add_argument("scenario", nargs="*", metavar="SCENARIO")
        p.add_argument("--to", dest="targets", action="append", default=[], metavar="TARGET")
        p.add_argument("--from", dest="functions", action="append", default=[], metavar="FUNCTION")
        _format_args(p, json_help="same as --format json: one result per line, streamed; each path without "
                                  "its hop list unless --hops")
        p.add_argument("--hops", action="store_true", help="with --format json: include every path's hop list")
        p.add_argument("--fail-on", choices=("blocked", "unknown", "any"),
                       help="exit 1 when a cell is blocked (or intermittent), unknown, or anything but reachable "
                            "(default: exit 0 whatever the cells say)")
        _aws_args(p)
    elif cmd == "subnets":
        p.add_argument("scenario", nargs="?")
        p.add_argument("--json", action="store_true")
        _aws_args(p)
    elif cmd == "check":
        p.add_argument("scenarios", nargs="+")
        _format_args(p)
        _aws_args(p)
    elif cmd == "validate":
        p.add_argument("scenarios", nargs="+")
        p.add_argument("--json", action="store_true")
    elif cmd == "screenshot":
        p.add_argument("scenario", nargs="*", metavar="SCENARIO")
        p.add_argument("--out", required=True, help="SVG file to write (- for stdout)")
        p.add_argument("--force", action="store_true", help="replace an existing file (or a symbolic link)")
        p.add_argument("--size", default="120x36", help="COLUMNSxROWS (default 120x36)")
        p.add_argument("--press", default="", help="keys to press first, comma-separated (e.g. 4,t)")
        p.add_argument("--theme")
    elif cmd == "diff":
        p.add_argument("before", help="scenario file, or 'aws' for the live account")
        p.add_argument("after", help="scenario file, or 'aws' for the live account")
        p.add_argument("--to", dest="targets", action="append", default=[], metavar="TARGET",
                       help="a target besides both inputs' own (repeatable)")
        p.add_argument("--format", choices=("text", "md", "json"), default="text")
        p.add_argument("--json", action="store_true", help="same as --format json")
        _aws_args(p)
    elif cmd == "fix":
        p.add_argument("scenario", nargs="?")
        p.add_argument("--from", dest="source", required=True, metavar="FUNCTION")
        p.add_argument("--to", dest="target", required=True, metavar="TARGET")
        p.add_argument("-o", "--output", help="write the network with the first fix applied (scenario YAML)")
        p.add_argument("--force", action="store_true", help="replace OUT if it exists (or is a symbolic link)")
        p.add_argument("--snippet", choices=("auto", "scenario", "terraform", "cloudformation"), default="auto",
                       help="the snippet's language (auto: the input's)")
        p.add_argument("--json", action="store_true")
        _aws_args(p)
    elif cmd == "export":
        p.add_argument("scenario", nargs="*", metavar="INPUT", help="Terraform/CloudFormation inputs (or --aws)")
        p.add_argument("-o", "--output", required=True, help="scenario file to write (- for stdout)")
        p.add_argument("--force", action="store_true", help="replace an existing file (or a symbolic link)")
        p.add_argument("--to", dest="targets", action="append", default=[], metavar="TARGET",
                       help="a target to include (its bucket's region and policy are read); repeatable")
        p.add_argument("--json", action="store_true", help="print a summary as JSON")
        _aws_args(p)
    elif cmd == "serve":
        p.description = ("Serve the TUI to a browser (textual-serve): each visit runs `vpctui` with the TUI "
                         "flags given here (SCENARIO, --aws ..., --demo, --theme, --redact, ...).")
        p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, loopback only)")
        p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
        p.add_argument("--allow-remote", action="store_true",
                       help="allow a --host that is not loopback: anyone who reaches it can use the TUI, "
                            "and read what this process can read (with --aws, the account)")
    return p


def _n(n: int, word: str) -> str:
    """'1 VPC', '2 VPCs'."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _err(msg: str) -> None:
    print(f"vpctui: {msg}", file=sys.stderr)


def _progress(msg: str) -> None:
    print(f"vpctui: {msg}", file=sys.stderr, flush=True)


def _aws_options(args, targets: Sequence[str], deadline=None):
    """AwsOptions from the flags: one account/region, or (profile | assumed role) × region for
    several, loaded at once into one network (repeated --profile, --region, --assume-role)."""
    from .loaders import AwsOptions

    profiles = list(args.profile) or [None]
    regions = list(args.region) or [None]
    roles = list(getattr(args, "assume_role", []) or [])
    specs = [(p, None, r) for p in (profiles if not roles or args.profile else []) for r in regions]
    specs += [(profiles[0], role, r) for role in roles for r in regions]
    base = AwsOptions(profiles[0], regions[0], tuple(args.vpc), args.redact, tuple(targets), deadline=deadline)
    if len(specs) == 1 and not roles:
        return base
    return AwsOptions(profiles[0], regions[0], tuple(args.vpc), args.redact, tuple(targets), deadline=deadline,
                      accounts=tuple(dict.fromkeys(specs)))


def _source(args, targets: Sequence[str] = ()):
    """The input the flags name, as a vpctui.loaders.Source (one branch per input kind)."""
    if getattr(args, "aws", False):
        from .loaders.aws import AwsSource

        if _paths(args):
            raise UsageError("give either a SCENARIO file or --aws, not both")
        return AwsSource(_aws_options(args, targets, deadline=args.deadline))
    for opt in ("profile", "region", "assume_role", "redact", "deadline"):
        if getattr(args, opt, None):
            raise UsageError(f"--{opt.replace('_', '-')} goes with --aws")
    if getattr(args, "vpc", None):
        raise UsageError("--vpc goes with --aws")
    paths = _paths(args)
    from .loaders.iac import IacSource, is_iac

    if paths and is_iac(paths):
        return IacSource(tuple(paths), _params(args))
    if getattr(args, "param", None) or getattr(args, "params", None):
        raise UsageError("--param and --params go with Terraform or CloudFormation inputs")
    if len(paths) > 1:
        raise UsageError("give one scenario file (several files are merged only for Terraform and CloudFormation inputs)")
    from .loaders.scenario import ScenarioSource

    return ScenarioSource(paths[0] if paths else None)


def _paths(args) -> list[str]:
    v = getattr(args, "scenario", None)
    if v is None:
        return []
    return [v] if isinstance(v, str) else list(v)


def _params(args) -> tuple[tuple[str, str], ...]:
    from .loaders.cloudformation import parse_params

    return tuple(parse_params(list(getattr(args, "param", []) or []), list(getattr(args, "params", []) or [])).items())


def _load(source, more_targets=None):
    """Load headless: a slow source (a live account) reports progress on stderr. A live account
    whose functions could not be listed is an error (exit 2 naming the call), never "none"."""
    from .loaders.aws import AwsSource

    if isinstance(source, AwsSource):
        from .loaders.aws import require_functions

        net = source.load(progress=_progress, more_targets=more_targets)
        require_functions(net)
        return net
    return source.load(progress=None if source.loads_fast else _progress)


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    cmd = argv[0] if argv and argv[0] in SUBCOMMANDS else None
    parser = _parser(cmd)
    try:
        if cmd == "serve":  # the TUI's own flags pass through to each served session
            args, args.tui_args = parser.parse_known_args(argv[1:])
            _parser(None).parse_args(args.tui_args)
        else:
            args = parser.parse_args(argv[1:] if cmd else argv)
    except SystemExit as e:  # argparse: usage errors exit 2, --help exits 0
        return int(e.code or 0)
    # data is text: every line the CLI writes shows control characters visibly (render/safe.py);
    # --json is unchanged (json.dumps escapes them), files and `-o -` are written exactly
    from .render.safe import SafeStream

    if cmd is None or cmd == "serve":  # the TUI (Textual owns the terminal) and the web server
        return _main(cmd, args)
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(sys.stdout), SafeStream(sys.stderr)
    try:
        return _main(cmd, args)
    finally:
        if sys.stdout.__class__ is SafeStream:
            sys.stdout = saved[0]
        if sys.stderr.__class__ is SafeStream:
            sys.stderr = saved[1]


def _main(cmd: Optional[str], args) -> int:
    try:
        if cmd is None:
            _check_tui_args(args)
        return _dispatch(cmd, args)
    except (UsageError, OutputError) as e:
        _err(str(e))
        return 2
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:  # e.g. `vpctui matrix --json | head`: the reader has gone, quietly
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except OSError:
            pass
        return 1
    except Exception as e:  # noqa: BLE001 - the last line of defence: one line, never a traceback
        from .loaders import LoadError

        if getattr(args, "debug", False):
            raise
        if isinstance(e, LoadError):
            for line in e.errors:
                print(line, file=sys.stderr)
            return 2
        from .engine import TraceError

        if isinstance(e, TraceError):
            _err(str(e))
            return 2
        _err(f"internal error: {type(e).__name__}: {e} (run with --debug for the traceback)")
        return 2


def _check_tui_args(args) -> None:
    """Before any UI: a word that is no command and no file is a mistyped command (exit 2 with a
    suggestion); a scenario file that does not exist is an error; no terminal is an error."""
    if args.aws:
        return
    for name in _paths(args):
        if os.path.exists(name):
            if os.path.isdir(name):
                raise UsageError(f"{name}: is a directory, not a scenario file")
            continue
        import difflib

        word = os.sep not in name and "/" not in name and not name.lower().endswith((".yaml", ".yml", ".json"))
        if word:
            close = difflib.get_close_matches(name, SUBCOMMANDS, n=1, cutoff=0.6)
            hint = f"; did you mean 'vpctui {close[0]}'?" if close else f" (commands: {', '.join(SUBCOMMANDS)})"
            raise UsageError(f"'{name}' is not a vpctui command or a file{hint}")
        raise UsageError(f"{name}: no such file")


def _require_terminal() -> None:
    if os.environ.get("TEXTUAL_DRIVER"):  # vpctui serve: the browser is the terminal
        return
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("the TUI needs a terminal (stdin or stdout is not one); for scripts and CI use "
                         "`vpctui trace`, `matrix`, `check`, `subnets` (see vpctui --help)")


def _dispatch(cmd: Optional[str], args) -> int:
    if cmd is None:
        from .tui.app import run_tui

        talk = None
        if args.script:
            from .loaders.talk import load_talk

            talk = load_talk(args.script)  # LoadError: one line per problem, before any UI
            if talk.scenario and not args.scenario and not args.aws:
                args.scenario = talk.scenario
        _require_terminal()
        return run_tui(_source(args, args.targets), demo=args.demo, theme=args.theme, talk=talk,
                       targets=tuple(args.targets), mouse=not args.no_mouse)
    if cmd == "trace":
        return _trace(args)
    if cmd == "matrix":
        return _matrix(args)
    if cmd == "subnets":
        return _subnets(args)
    if cmd == "check":
        return _check(args)
    if cmd == "validate":
        return _validate(args)
    if cmd == "screenshot":
        return _screenshot(args)
    if cmd == "export":
        return _export(args)
    if cmd == "serve":
        return _serve(args)
    if cmd == "diff":
        return _diff(args)
    if cmd == "fix":
        return _fix(args)
    raise UsageError(f"unknown command {cmd}")


def _console(**kw):
    """Rich on the real stdout: no markup, no highlighting, every segment shown visibly."""
    from .render.safe import console

    return console(**kw)


def _print(renderable) -> None:
    """Print a Rich renderable through the safe console: on a terminal at its width; piped or
    redirected, as wide as the content needs (never cut to 80 columns, never a zero-width column),
    without colour."""
    con = _console()
    if con.is_terminal:  # a terminal (or FORCE_COLOR / TTY_COMPATIBLE): Rich's own width and colours
        con.print(renderable)
        return
    import io

    from rich.console import Console

    probe = Console(file=io.StringIO(), width=10_000, color_system=None)
    width = max(80, min(10_000, probe.measure(renderable).maximum))
    from .render.safe import SafeConsole

    buf = io.StringIO()
    SafeConsole(file=buf, width=width, color_system=None, soft_wrap=False).print(renderable)
    sys.stdout.write("".join(line.rstrip() + "\n" for line in buf.getvalue().splitlines()))


def _trace(args) -> int:
    from .engine import trace
    from .engine.result import REACHABLE as REACHABLE_VERDICT
    from .render.trace import trace_renderable

    fmt = _fmt(args)
    net = _load(_source(args, [args.target]))
    tr = trace(net, args.source, args.target)
    if fmt == "json":
        from .engine.fixes import fixes

        d = tr.to_dict()
        for pd, p in zip(d["paths"], tr.paths):
            # every finding's fixes as structured edits (vpctui fix prints them with the AWS CLI)
            pd["fixes"] = [{"hop": f.hop, "reason": f.reason, "component_id": f.component_id,
                            "fixes": [fx.to_dict() for fx in fixes(net, tr, p, f)]}
                           for f in ((p.drop,) if p.drop else ()) + p.blockers]
        print(json.dumps(_with_sources(net, d), indent=2))
    elif fmt == "md":
        from .render.report import trace_markdown

        sys.stdout.write(trace_markdown(net, tr, net.name or ""))
    elif fmt == "tsv":
        from .render.report import trace_tsv

        sys.stdout.write(trace_tsv(tr))
    else:
        _print(trace_renderable(net, tr, full=not sys.stdout.isatty()))
    return 0 if tr.verdict == REACHABLE_VERDICT else 1


def _with_sources(net, d: dict) -> dict:
    """A trace's JSON with, for Terraform/CloudFormation inputs, where each component was written
    ("source") and the fix in the input's terms ("fix_in_code")."""
    if not net.sources:
        return d
    from .engine.result import Finding
    from .render.sources import fix_in_code, source_of

    for p in d.get("paths", ()):
        for h in p.get("hops", ()):
            src = source_of(net, h.get("component_id", ""))
            if src:
                h["source"] = src
        for f in ([p["drop"]] if p.get("drop") else []) + list(p.get("blockers", ())):
            src = source_of(net, f.get("component_id", ""))
            if src:
                f["source"] = src
            code = fix_in_code(net, Finding(f.get("hop", ""), f.get("reason", ""), f.get("component_id", ""),
                                            f.get("explanation", ""), f.get("fix", ""), f.get("symptom", "")), d.get("source", ""))
            if code:
                f["fix_in_code"] = code
    return d


FAIL_ON = {"blocked": ("blocked", "intermittent"), "unknown": ("unknown",),
           "any": ("blocked", "intermittent", "unknown")}


def _matrix(args) -> int:
    from .engine import matrix
    from .render.trace import matrix_table

    fmt = _fmt(args)
    if args.hops and fmt != "json":
        raise UsageError("--hops goes with --format json")
    source = _source(args, args.targets)
    defaults = None
    from .loaders.aws import AwsSource

    live = isinstance(source, AwsSource)
    if live and not args.targets:
        from .engine.defaults import default_targets

        defaults = default_targets
    net = _load(source, more_targets=(lambda n: [d.target for d in defaults(n)]) if defaults else None)
    note = None
    if defaults is not None:
        found = defaults(net)
        if found:
            _err("no --to given: the default targets (what the roles' policies name, and the VPC endpoints' services):")
            for d in found:
                _err(f"  {d.target}  ← {d.origin}")
        elif net.functions:
            note = "no --to given and no default targets: no role policy names a bucket, parameter, table, secret or queue, and no VPC has an endpoint"
    if not net.functions and live:
        vpc_ids = source.options.vpc_ids
        where = f"the VPCs {', '.join(vpc_ids)}" if vpc_ids else f"{net.name}"
        note = f"no Lambda functions in {where}: nothing to check"
    if note:
        _err(note)
    failing = FAIL_ON.get(args.fail_on or "", ())
    seen: list[str] = []

    def counted(traces):
        for t in traces:
            if t.verdict in failing:
                seen.append(t.verdict)
            yield t

    if fmt in ("json", "tsv"):
        from .engine.matrix import iter_matrix

        traces = counted(iter_matrix(net, args.targets or None, args.functions or None) if net.functions else iter(()))
        if fmt == "json":
            _stream_results(traces, args.hops, note, net)
        else:
            from .render.report import matrix_tsv_rows

            for row in matrix_tsv_rows(traces):
                sys.stdout.write(row + "\n")
            sys.stdout.flush()
        return 1 if seen else 0
    traces = list(counted(matrix(net, args.targets or None, args.functions or None) if net.functions else []))
    if fmt == "md":
        from .render.report import matrix_markdown, md

        sys.stdout.write(matrix_markdown(traces, title=net.name or net.source))
        for n in net.notes:
            sys.stdout.write(f"\nnote: {md(n)}\n")
        return 1 if seen else 0
    from rich.console import Group
    from rich.text import Text

    _print(Group(matrix_table(traces, title=net.name or net.source),
                 *[Text(f"note: {n}") for n in net.notes]))
    return 1 if seen else 0


def _stream_results(traces, hops: bool, note: Optional[str] = None, net=None) -> None:
    """``{"results": [...]}`` written one result (one line) at a time: memory does not grow with
    the number of results, and a reader can start before the end."""
    from .render.jsonlines import TraceJson

    write = sys.stdout.write
    write('{"results": [')
    sep = "\n"
    fast = TraceJson(hops) if net is None or not net.sources else None  # the same text, without the dicts
    for t in traces:
        write(sep + (fast.trace(t) if fast is not None else json.dumps(_with_sources(net, t.to_dict(hops)))))
        sep = ",\n"
    write(("\n]" if sep != "\n" else "]") + (f', "note": {json.dumps(note)}' if note else "") + "}\n")
    sys.stdout.flush()


def _subnets(args) -> int:
    from .engine.subnets import classify_subnets
    from .render.tables import subnets_table

    net = _load(_source(args))
    if args.json:
        classes = classify_subnets(net)
        print(json.dumps({"subnets": [{"subnet_id": s.subnet_id, "name": s.name, "vpc_id": s.vpc_id,
                                       "cidr_block": s.cidr_block, "ipv6_cidr_block": s.ipv6_cidr_block,
                                       "availability_zone": s.availability_zone,
                                       **classes[s.subnet_id].to_dict()} for s in net.subnets]}, indent=2))
    else:
        _print(subnets_table(net, title=net.name or net.source))
    return 0


def _check(args) -> int:
    from .engine.expect import check
    from .loaders.scenario import load_scenario

    from .loaders.iac import IacSource, detect_kind

    fmt = _fmt(args)
    failed = 0
    results = []
    live = None
    iac = [p for p in args.scenarios if detect_kind(p) != "scenario"]
    if iac:
        if args.aws:
            raise UsageError("give either Terraform/CloudFormation inputs or --aws, not both")
        live = _load(IacSource(tuple(iac), _params(args)))
        args.scenarios = [p for p in args.scenarios if p not in iac]
        if not args.scenarios:
            raise UsageError("check needs a scenario file with expect: blocks to evaluate against "
                             f"{' + '.join(iac)}")
    elif getattr(args, "param", None) or getattr(args, "params", None):
        raise UsageError("--param and --params go with Terraform or CloudFormation inputs")
    for path in args.scenarios:
        spec = load_scenario(path)
        if live is not None and not args.aws:
            net = live
        elif args.aws:
            if live is None:
                live = _load(_source(args, [e.target for e in spec.expectations]))
            net = live
        else:
            net = spec
        if not spec.expectations:
            print(f"{path}: no expect: blocks", file=sys.stderr)
        for o in check(net, spec.expectations):
            e = o.expectation
            results.append({"file": path, "line": e.line, "from": e.source, "to": e.target, "ok": o.ok,
                            "problems": list(o.problems), "verdict": o.trace.verdict if o.trace else None})
            if not o.ok:
                failed += 1
                if fmt == "text":
                    print(f"{path}:{e.line}: {e.source} → {e.target}: {'; '.join(o.problems)}")
    n = len(results)
    if fmt == "json":
        print(json.dumps({"results": results, "passed": n - failed, "failed": failed}, indent=2))
    elif fmt == "md":
        from .render.report import check_markdown

        sys.stdout.write(check_markdown(results))
    elif fmt == "tsv":
        from .render.report import check_tsv

        sys.stdout.write(check_tsv(results))
    else:
        print(f"check: {n - failed} passed, {failed} failed ({len(args.scenarios)} file{'s' if len(args.scenarios) != 1 else ''})")
    return 1 if failed else 0


def _validate(args) -> int:
    from .loaders import LoadError
    from .loaders.scenario import load_scenario

    bad = 0
    out = []
    from .loaders.iac import detect_kind, load_iac

    for path in args.scenarios:
        try:
            net = load_iac([path]) if detect_kind(path) != "scenario" else load_scenario(path)
            out.append({"file": path, "ok": True, "errors": [], "warnings": list(net.warnings)})
            if not args.json:
                for line in net.warnings:
                    print(f"{line} (warning)", file=sys.stderr)
                print(f"{path}: ok ({_n(len(net.vpcs), 'VPC')}, {_n(len(net.subnets), 'subnet')}, "
                      f"{_n(len(net.functions), 'function')}"
                      + (f", {_n(len(net.warnings), 'warning')})" if net.warnings else ")"))
        except LoadError as e:
            bad += 1
            out.append({"file": path, "ok": False, "errors": e.errors})
            if not args.json:
                for line in e.errors:
                    print(line, file=sys.stderr)
    if args.json:
        print(json.dumps({"results": out}, indent=2))
    return 2 if bad else 0


def _screenshot(args) -> int:
    import asyncio
    from pathlib import Path

    from .tui.screenshot import render_svg

    try:
        cols, rows = (int(x) for x in args.size.lower().split("x"))
    except ValueError:
        raise UsageError(f"--size {args.size!r}: use COLUMNSxROWS, e.g. 120x36") from None
    press = [k.strip() for k in args.press.split(",") if k.strip()]
    from .tui.screenshot import bad_key

    for k in press:
        if bad_key(k):
            raise UsageError(f"--press {k!r}: not a key; give Textual key names like t, 4, enter, space, "
                             "pagedown, escape, ctrl+p (comma-separated), or type:TEXT to type text")
    source = _source(args)
    with OutputFile(args.out, force=args.force, option="--out") as out:
        svg = asyncio.run(render_svg(source, size=(cols, rows), press=press, theme=args.theme or None,
                                     title=f"vpctui {Path(args.out).stem}" if not out.is_stdout else "vpctui"))
        out.write(svg)
    if not out.is_stdout:
        print(f"wrote {args.out}")
    return 0


def _export(args) -> int:
    from .loaders.dump import network_to_yaml

    from .loaders.iac import is_iac

    if not args.aws and not is_iac(_paths(args)):
        raise UsageError("export writes a scenario file from a live account (--aws) or Terraform/CloudFormation INPUT files")
    source = _source(args, args.targets)
    with OutputFile(args.output, force=args.force, option="-o") as out:  # checked before the load
        net = _load(source)
        out.write(network_to_yaml(net))
    summary = {"file": out.label, "vpcs": len(net.vpcs), "subnets": len(net.subnets),
               "functions": len(net.functions), "unknown": [u.kind for u in net.unknowns]}
    report = sys.stderr if out.is_stdout else sys.stdout  # stdout carries the YAML
    if args.json:
        print(json.dumps(summary), file=report)
    else:
        print(f"wrote {out.label}: {_n(summary['vpcs'], 'VPC')}, {_n(summary['subnets'], 'subnet')}, "
              f"{_n(summary['functions'], 'function')}",
              file=report)
    return 0


def _serve(args) -> int:
    import os

    from .serve import is_loopback, serve

    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: use a port from 1 to 65535")
    tui = _parser(None).parse_args(args.tui_args)
    if tui.script:
        from .loaders.talk import load_talk

        load_talk(tui.script)  # a broken script is one line here, not a broken page
    for path in (tui.scenario if not tui.aws else ()):
        if not os.path.isfile(path):
            raise UsageError(f"{path}: no such file")
    if not is_loopback(args.host):
        if not args.allow_remote:
            raise UsageError(f"--host {args.host} is not a loopback address: anyone who reaches it could use "
                             "this TUI and read what this process can read; add --allow-remote to bind there")
        _err(f"warning: serving on {args.host}, reachable from other machines; a served session can read "
             "what this process can read" + (" (the AWS account)" if tui.aws else ""))
    return serve(args.tui_args, args.host, args.port)
def _input(args, which: str, targets: Sequence[str]):
    """One side of ``diff``: a file vpctui reads (through the same source selection as every other
    command), or ``aws`` for the live account (with --profile, --region, --vpc, --deadline)."""
    if args.aws:
        raise UsageError("with diff, name the live account as the input 'aws' instead of --aws")
    if which == "aws":
        return _load(_source(argparse.Namespace(**dict(vars(args), aws=True, scenario=None)), targets))
    side = dict(vars(args), aws=False, scenario=which, profile=[], region=[], assume_role=[], redact=False, vpc=[],
                deadline=None)
    return _load(_source(argparse.Namespace(**side), targets))


def _diff(args) -> int:
    from .engine.diff import diff
    from .render.diff import diff_markdown, diff_text

    fmt = "json" if args.json else args.format
    before = _input(args, args.before, args.targets)
    after = _input(args, args.after, args.targets)
    d = diff(before, after, args.targets)
    if fmt == "json":
        print(json.dumps(dict(d.to_dict(), before=args.before, after=args.after), indent=2))
    elif fmt == "md":
        sys.stdout.write(diff_markdown(d, args.before, args.after))
    else:
        sys.stdout.write(diff_text(d, args.before, args.after))
    return 1 if d.broken else 0


def _fix(args) -> int:
    if args.output == "-":
        raise UsageError("fix -o -: stdout carries the fixes; give a file name")
    out = OutputFile(args.output, force=args.force, option="-o") if args.output is not None else None
    try:
        return _fix_to(args, out)
    finally:
        if out is not None:
            out.discard()


def _fix_to(args, out) -> int:
    from .engine import trace
    from .engine.edits import EditError, apply
    from .engine.fixes import first_fix, trace_fixes
    from .render.changes import aws_cli, snippet

    net = _load(_source(args, [args.target]))
    tr = trace(net, args.source, args.target)
    found = trace_fixes(net, tr)
    chosen = first_fix(net, tr)
    kind = "" if args.snippet == "auto" else args.snippet
    result: dict = {"source": tr.source, "target": tr.target, "verdict": tr.verdict, "findings": []}
    for p, f, fxs in found:
        row = {"subnet_id": p.subnet_id, "hop": f.hop, "reason": f.reason, "component_id": f.component_id,
               "fix": f.fix, "fixes": []}
        for fx in fxs:
            d = fx.to_dict()
            if fx.edits:
                try:
                    d["aws_cli"] = aws_cli(net, fx.edits)
                    d["snippet_kind"], d["snippet"] = snippet(net, fx.edits, kind)
                except EditError as e:
                    d["error"] = str(e)
            row["fixes"].append(d)
        result["findings"].append(row)
    after = None
    if chosen is not None:
        after = apply(net, chosen[2].edits)
        t2 = trace(after, args.source, args.target)
        result["applied"] = {"fix": chosen[2].to_dict(), "verdict_after": t2.verdict,
                             "drop_after": t2.drop.to_dict() if t2.drop else None}
    if out is not None and after is not None:
        from .loaders.dump import network_to_yaml

        out.write(network_to_yaml(after, before=net))
        result["written"] = args.output
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        _print_fixes(tr, result)
    if tr.verdict == "reachable":
        return 0
    if chosen is None:
        return 1
    return 0 if (not args.output or result["applied"]["verdict_after"] == "reachable") else 1


def _print_fixes(tr, result: dict) -> None:
    out = sys.stdout
    out.write(f"{tr.source} → {tr.target}: {tr.verdict}\n")
    if tr.verdict == "reachable":
        out.write("reachable: nothing to fix\n")
        return
    for row in result["findings"]:
        out.write(f"\n{row['hop']} {row['reason']} at {row['component_id']} (subnet {row['subnet_id'] or '-'})\n")
        for i, fx in enumerate(row["fixes"], 1):
            out.write(f"  fix {i}: {fx['text']}\n")
            if fx.get("text_only"):
                out.write(f"    text only: {fx['text_only']}\n")
            for e in fx["edits"]:
                out.write(f"    edit: {e['description']}\n")
            for c in fx.get("aws_cli", []):
                out.write(f"    $ {c}\n")
            if fx.get("snippet"):
                out.write(f"    {fx['snippet_kind']}:\n")
                for line in fx["snippet"].rstrip().splitlines():
                    out.write(f"      {line}\n")
            if fx.get("error"):
                out.write(f"    cannot apply: {fx['error']}\n")
    ap = result.get("applied")
    if ap is None:
        out.write("\nno fix vpctui can apply is known for this trace (the fixes above are text only)\n")
        return
    drop = ap["drop_after"]
    after = ap["verdict_after"] + (f" ({drop['reason']} at {drop['component_id']})" if drop else "")
    out.write(f"\nwith the first fix ({ap['fix']['text']}): {tr.verdict} → {after}\n")
    if result.get("written"):
        out.write(f"wrote {result['written']}\n")
