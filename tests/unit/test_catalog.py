"""The service catalog (docs/aws-behaviour.md CAT-1..CAT-3): every service with a VPC endpoint, the
hostnames its SDKs call, which default names are dual-stack; unknown service names are warned about."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from netbuild import base, net

from vpctui.model.services import CATALOG, service_for_hostname

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["execute-api", "states", "monitoring", "kinesis-streams", "kinesis-firehose",
                                  "bedrock-runtime", "xray", "ecs", "ecr.api", "ssmmessages", "sqs", "sts"])
def test_cat1_interface_endpoint_services_are_in_the_catalog(name):
    assert CATALOG[name].interface_endpoint


def test_cat1_the_catalog_is_the_whole_privatelink_list_plus_both_gateway_services():
    assert len(CATALOG) > 300
    assert {n for n, s in CATALOG.items() if s.gateway_endpoint} == {"s3", "dynamodb"}


@pytest.mark.parametrize("name,host", [
    ("states", "states.eu-west-1.amazonaws.com"), ("monitoring", "monitoring.eu-west-1.amazonaws.com"),
    ("kinesis-streams", "kinesis.eu-west-1.amazonaws.com"), ("kinesis-firehose", "firehose.eu-west-1.amazonaws.com"),
    ("bedrock-runtime", "bedrock-runtime.eu-west-1.amazonaws.com"), ("ecr.api", "api.ecr.eu-west-1.amazonaws.com"),
    ("sagemaker.runtime", "runtime.sagemaker.eu-west-1.amazonaws.com"),
])
def test_cat2_default_hostnames_come_from_botocore(name, host):
    assert CATALOG[name].host("eu-west-1") == host
    svc, region, legacy = service_for_hostname(host)
    assert (svc.name, region, legacy) == (name, "eu-west-1", False)


def test_cat3_which_default_names_have_aaaa_records():
    assert CATALOG["secretsmanager"].aaaa and CATALOG["sns"].aaaa and CATALOG["sqs"].aaaa
    assert not CATALOG["kms"].aaaa and not CATALOG["ec2"].aaaa and not CATALOG["s3"].aaaa
    assert CATALOG["kms"].dualstack_hostname == "kms.{region}.api.aws"
    assert CATALOG["s3"].dualstack_hostname == "s3.dualstack.{region}.amazonaws.com"


def test_cat2_api_gateway_and_ecr_names_with_a_variable_label():
    assert service_for_hostname("a1b2c3.execute-api.us-east-1.amazonaws.com")[0].name == "execute-api"
    assert service_for_hostname("111122223333.dkr.ecr.us-east-1.amazonaws.com")[0].name == "ecr.dkr"
    assert service_for_hostname("nothing-like-this.us-east-1.amazonaws.com") is None


def test_cat1_unknown_service_name_is_a_validation_warning_not_an_error():
    d = base()
    d["vpc_endpoints"] = [{"vpc_endpoint_id": "vpce-x", "vpc_id": "vpc-a", "service_name": "com.amazonaws.us-east-1.no-such-svc",
                           "vpc_endpoint_type": "Interface", "subnet_ids": ["subnet-db"]},
                          {"vpc_endpoint_id": "vpce-y", "vpc_id": "vpc-a", "service": "execute-api",
                           "subnet_ids": ["subnet-db"]}]
    n = net(d)
    assert len(n.warnings) == 1
    assert "vpc_endpoints[0].service_name" in n.warnings[0] and "no-such-svc" in n.warnings[0]
    assert "CAT-1" in n.warnings[0]


def test_cat2_the_data_file_matches_botocore():
    """The packaged data file is what scripts/gen_service_catalog.py makes from the installed botocore."""
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_service_catalog.py"), "--check"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
