"""`screenshot --out` and `export -o` (issue 10, part 5): the path is checked before any work, one
line on error, `-` is stdout, an existing file or a symbolic link is replaced only with --force, and
the write is atomic (a temp file in the same directory, then a rename). And `matrix --json` streams
compact results (part 2)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from vpctui.cli import main
from vpctui.outfile import OutputError, OutputFile

ROOT = Path(__file__).resolve().parents[2]
SEED = str(ROOT / "scenarios" / "lambda-vpc.yaml")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def no_aws(monkeypatch):
    """An endpoint where nothing listens: a test that reached the AWS load would fail on it."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "x")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


def bad_paths(tmp_path):
    (tmp_path / "exists.yaml").write_text("old\n")
    (tmp_path / "adir").mkdir()
    (tmp_path / "afile").write_text("")
    os.symlink(tmp_path / "elsewhere.yaml", tmp_path / "link.yaml")
    return {
        "missing directory": (str(tmp_path / "nope" / "x.yaml"), "does not exist"),
        "a directory": (str(tmp_path / "adir"), "is a directory"),
        "parent is a file": (str(tmp_path / "afile" / "x.yaml"), "is not a directory"),
        "empty path": ("", "the path is empty"),
        "existing file": (str(tmp_path / "exists.yaml"), "exists; add --force"),
        "symbolic link": (str(tmp_path / "link.yaml"), "symbolic link"),
        "unwritable": ("/proc/vpctui-test.yaml", "cannot write"),
    }


CASES = ["missing directory", "a directory", "parent is a file", "empty path", "existing file", "symbolic link",
         "unwritable"]


@pytest.mark.parametrize("case", CASES)
def test_export_checks_the_path_before_loading(tmp_path, capsys, no_aws, case):
    path, words = bad_paths(tmp_path)[case]
    code, out, err = run(capsys, "export", "--aws", "-o", path)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("vpctui: -o") and words in err, err
    assert "internal error" not in err and "reading" not in err  # no AWS call was made
    assert (tmp_path / "exists.yaml").read_text() == "old\n"
    assert not (tmp_path / "elsewhere.yaml").exists()
    assert not [p for p in tmp_path.rglob(".*.tmp")]


@pytest.mark.parametrize("case", CASES)
def test_screenshot_checks_the_path_before_rendering(tmp_path, capsys, case):
    path, words = bad_paths(tmp_path)[case]
    code, out, err = run(capsys, "screenshot", SEED, "--out", path)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("vpctui: --out") and words in err, err
    assert (tmp_path / "exists.yaml").read_text() == "old\n"


def test_export_to_a_missing_account_leaves_no_file(tmp_path, capsys, no_aws, monkeypatch):
    out = tmp_path / "x.yaml"
    code, _, err = run(capsys, "export", "--aws", "-o", str(out))
    assert code == 2 and "internal error" not in err
    assert not out.exists() and not list(tmp_path.iterdir())  # no temp file left either


def test_output_file_is_atomic_and_keeps_what_exists(tmp_path):
    p = tmp_path / "x.yaml"
    f = OutputFile(str(p))
    temps = list(tmp_path.iterdir())
    assert len(temps) == 1 and temps[0].name.startswith(".x.yaml.") and not p.exists()
    f.write("new\n")
    assert p.read_text() == "new\n" and list(tmp_path.iterdir()) == [p]
    assert oct(p.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    with pytest.raises(OutputError, match="exists; add --force"):
        OutputFile(str(p))
    OutputFile(str(p), force=True).write("newer\n")
    assert p.read_text() == "newer\n"


def test_a_file_that_appears_during_the_work_is_not_replaced(tmp_path):
    p = tmp_path / "x.yaml"
    f = OutputFile(str(p))
    p.write_text("someone else's\n")
    with pytest.raises(OutputError, match="exists"):
        f.write("mine\n")
    assert p.read_text() == "someone else's\n" and list(tmp_path.iterdir()) == [p]


def test_force_replaces_a_link_never_its_target(tmp_path):
    target = tmp_path / "target.yaml"
    target.write_text("keep\n")
    link = tmp_path / "link.yaml"
    os.symlink(target, link)
    with pytest.raises(OutputError, match="symbolic link"):
        OutputFile(str(link))
    OutputFile(str(link), force=True).write("new\n")
    assert not link.is_symlink() and link.read_text() == "new\n" and target.read_text() == "keep\n"


def test_dash_is_stdout(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    OutputFile("-").write("to stdout\n")
    assert capsys.readouterr().out == "to stdout\n"
    assert not (tmp_path / "-").exists()


def test_screenshot_to_stdout_and_to_a_file(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "screenshot", SEED, "--out", "-", "--size", "80x24")
    assert code == 0 and out.startswith("<svg") and not (tmp_path / "-").exists()
    code, out, err = run(capsys, "screenshot", SEED, "--out", "shot.svg", "--size", "80x24")
    assert code == 0 and (tmp_path / "shot.svg").read_text().startswith("<svg")
    code, out, err = run(capsys, "screenshot", SEED, "--out", "shot.svg", "--size", "80x24")
    assert code == 2 and "--force" in err


def _umask() -> int:
    m = os.umask(0)
    os.umask(m)
    return m


# ---- matrix --json: streamed and compact -----------------------------------------------------


def test_matrix_json_is_one_result_per_line_without_hops(capsys):
    code, out, err = run(capsys, "matrix", SEED, "--json")
    assert code == 0 and not err
    lines = out.splitlines()
    assert lines[0] == '{"results": [' and lines[-1] == "]}"
    body = lines[1:-1]
    assert len(body) == len(json.loads(out)["results"]) > 1
    for line in body:
        r = json.loads(line.rstrip(","))
        assert {"source", "target", "verdict", "symptom", "paths"} <= set(r)
        for p in r["paths"]:
            assert "hops" not in p and {"verdict", "symptom", "drop", "blockers"} <= set(p)


def test_matrix_json_hops_on_request(capsys):
    code, out, _ = run(capsys, "matrix", SEED, "--json", "--hops")
    full = json.loads(out)["results"]
    assert all(p["hops"] for r in full for p in r["paths"])
    code, out2, _ = run(capsys, "matrix", SEED, "--json")
    compact = json.loads(out2)["results"]
    for a, b in zip(full, compact):
        for p in a["paths"]:
            del p["hops"]
        assert a == b
    assert run(capsys, "matrix", SEED, "--hops")[0] == 2


def test_matrix_json_with_no_results_is_valid(tmp_path, capsys):
    p = tmp_path / "empty.yaml"
    p.write_text("vpcs: []\n")
    code, out, _ = run(capsys, "matrix", str(p), "--json", "--to", "s3")
    assert code == 0 and json.loads(out) == {"results": []}


def _many_functions(tmp_path, n: int) -> str:
    fns = "".join(f"  - {{function_name: fn-{i}, subnet_ids: [subnet-1], role: r}}\n" for i in range(n))
    p = tmp_path / f"n{n}.yaml"
    p.write_text("vpcs:\n  - {vpc_id: vpc-1, cidr_block: 10.0.0.0/16}\n"
                 "subnets:\n  - {subnet_id: subnet-1, vpc_id: vpc-1, cidr_block: 10.0.1.0/24}\n"
                 "roles:\n  - {role_name: r}\n"
                 "targets: [s3, ssm, sts, 'https://example.com', '10.0.1.9:5432']\nlambda_functions:\n" + fns)
    return str(p)


def test_matrix_json_peak_memory_does_not_grow_with_the_results(tmp_path, monkeypatch):
    """Measured with tracemalloc (allocations, not time): 8 times the results, about the same peak.
    The whole list (and one JSON string of it) grew with the results."""
    import tracemalloc

    from vpctui.loaders.scenario import load_scenario

    def peak(n: int) -> int:
        path = _many_functions(tmp_path, n)
        load_scenario(path)  # warm the import and parse caches outside the measurement
        sink = open(os.devnull, "w")
        monkeypatch.setattr("sys.stdout", sink)
        tracemalloc.start()
        net_before = tracemalloc.get_traced_memory()[0]
        assert main(["matrix", path, "--json"]) == 0
        p = tracemalloc.get_traced_memory()[1] - net_before
        tracemalloc.stop()
        sink.close()
        return p

    small, large = peak(100), peak(800)
    file_growth = (len(open(_many_functions(tmp_path, 800)).read()) - len(open(_many_functions(tmp_path, 100)).read()))
    # what grows is the network itself (the file is 8 times larger), not the results
    assert large - small < 200 * file_growth, (small, large)
    assert large < 2.5 * small, (small, large)


def test_matrix_bad_target_fails_before_any_output(capsys):
    code, out, err = run(capsys, "matrix", SEED, "--json", "--to", "s3://")
    assert code == 2 and out == "" and re.match(r"vpctui: 's3://'", err)
