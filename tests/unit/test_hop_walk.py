"""The packet walk (vpctui/tui/hop_walk.py): which pane marks what for each hop. No Textual."""

from __future__ import annotations

import subprocess
import sys

from vpctui.engine import trace
from vpctui.loaders.scenario import ScenarioSource
from vpctui.tui.hop_walk import hop_marks, hops_of, path_of

OBJ = "s3://vpc-notes-bucket/hello.txt"


def test_the_hop_walk_imports_no_textual():
    code = "import sys, vpctui.tui.hop_walk; print('textual' in sys.modules or 'rich' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_public_subnet_to_s3_marks_the_route_then_keeps_it_at_the_internet_gateway():
    net = ScenarioSource().load()
    tr = trace(net, "lambda-1-public", OBJ)
    marks = [hop_marks(net, tr, i) for i in range(len(hops_of(tr)))]
    assert [m.hop.hop for m in marks] == ["H0", "H1", "H2", "H3", "H4", "H5"]
    assert {m.subnet_id for m in marks} == {"subnet-01a"}  # pane 1 points at the path's subnet
    h0, h1, h2, h3, h4, h5 = marks
    assert (h0.details_id, h0.details_key, h0.route_table_id, h0.route_key) == ("subnet-01a", None, "rtb-0pub", None)
    assert (h1.details_id, h1.details_key) == ("vpc-0a5e1d", None)  # DNS: the VPC, found by the hop's id
    assert (h2.details_id, h2.details_key) == ("sg-0lambda", "egress:0")
    assert (h3.details_id, h3.details_key) == ("acl-0open", "egress:100")
    assert (h4.route_table_id, h4.route_key, h4.details_id, h4.details_key) == ("rtb-0pub", "0.0.0.0/0", "rtb-0pub", "0.0.0.0/0")
    assert not h3.keep_route_mark and h5.keep_route_mark  # after the lookup the route stays marked
    assert (h5.details_id, h5.endpoint_id) == ("igw-0e1f", None)
    assert h5.note.startswith("H5 internet-gateway: ")


def test_endpoint_hops_mark_the_endpoint_and_policies_mark_the_policy():
    net = ScenarioSource().load()
    tr = trace(net, "lambda-4-endpoints", "ssm:/vpc-notes/parameter")
    marks = [hop_marks(net, tr, i) for i in range(len(hops_of(tr)))]
    by_hop = {(m.hop.hop, m.hop.component_type): m for m in marks}
    assert by_hop[("H1", "dns")].endpoint_id == "vpce-0ssm"
    assert by_hop[("H5", "vpc-endpoint")].endpoint_id == "vpce-0ssm"
    assert by_hop[("H2", "security-group")].endpoint_id is None
    assert (by_hop[("H9", "endpoint-policy")].details_id, by_hop[("H9", "endpoint-policy")].details_key) == ("vpce-0ssm", "policy")
    assert by_hop[("H4", "route-table")].details_id == "subnet-04d"


def test_no_such_hop():
    net = ScenarioSource().load()
    tr = trace(net, "lambda-1-public", OBJ)
    assert hop_marks(net, tr, -1) is None and hop_marks(net, tr, len(hops_of(tr))) is None
    assert path_of(tr, 0) is tr.paths[0] and path_of(None, 0) is None
