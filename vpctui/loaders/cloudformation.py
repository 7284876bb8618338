"""CloudFormation templates (JSON, YAML with short-form tags), SAM and CDK synth output -> the
network model (see docs/iac.md).

* Parsing: cfn-lint's decoder (the ``iac`` extra), which reads JSON and YAML with every short-form
  tag (``!Ref``, ``!GetAtt``, ``!Sub``, ...) into the long form and keeps line numbers. Maintained by
  AWS with CloudFormation itself; a JSON template also loads without it (no line numbers then).
* SAM (``Transform: AWS::Serverless-2016-10-31``): the AWS SAM translator (which cfn-lint brings)
  turns the template into plain CloudFormation first, so Globals, implicit roles and every policy
  template expand exactly as ``sam deploy`` expands them, without a copy of their definitions here.
  It runs offline: the Region and account come from the parameters, and AWS-managed policy names
  map to their ARNs from a table here (no IAM call).
* CDK synth output (``cdk.out/*.template.json``) is plain CloudFormation: hashed logical ids,
  ``Fn::Join`` for ARNs, ``AWS::IAM::Policy`` resources attached through ``Roles``; ``Rules``,
  ``Metadata`` and ``AWS::CDK::Metadata`` are ignored.

Intrinsics are evaluated with the parameters (defaults, ``--param KEY=VALUE``, a parameters file)
and pseudo-parameters. A physical id that exists only after deployment is a stand-in
(``subnet-<PrivateSubnet>``); ``Fn::ImportValue``, a parameter without a value and an attribute
known only after deployment are ``unknown`` with the reason, and so is every verdict that depends on
them.
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from . import LoadError
from .iac import IacDoc, pending_id

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"


class Unk:
    """A value known only after deployment (or not given), with the reason."""

    __slots__ = ("reason",)

    def __init__(self, reason: str):
        self.reason = reason

    def __repr__(self) -> str:
        return f"Unk({self.reason!r})"


class _NoValue:
    pass


NO_VALUE = _NoValue()


class TemplateError(Exception):
    def __init__(self, line: int, path: str, msg: str):
        super().__init__(msg)
        self.line, self.path, self.msg = line, path, msg


# what ``Ref`` returns: an id (a stand-in until deployed) or a name property
REF_ID_PREFIX = {
    "AWS::EC2::VPC": "vpc-", "AWS::EC2::Subnet": "subnet-", "AWS::EC2::RouteTable": "rtb-",
    "AWS::EC2::InternetGateway": "igw-", "AWS::EC2::EgressOnlyInternetGateway": "eigw-",
    "AWS::EC2::NatGateway": "nat-", "AWS::EC2::VPCEndpoint": "vpce-", "AWS::EC2::SecurityGroup": "sg-",
    "AWS::EC2::NetworkAcl": "acl-", "AWS::EC2::VPCPeeringConnection": "pcx-", "AWS::EC2::TransitGateway": "tgw-",
    "AWS::EC2::VPNGateway": "vgw-", "AWS::EC2::NetworkInterface": "eni-", "AWS::EC2::Instance": "i-",
    "AWS::EC2::DHCPOptions": "dopt-", "AWS::EC2::CarrierGateway": "cagw-", "AWS::Route53::HostedZone": "Z",
    "AWS::EC2::TransitGatewayAttachment": "tgw-attach-", "AWS::EC2::TransitGatewayVpcAttachment": "tgw-attach-",
    "AWS::EC2::TransitGatewayRouteTable": "tgw-rtb-",
}
TGW_TYPES = ("AWS::EC2::TransitGateway", "AWS::EC2::TransitGatewayRouteTable", "AWS::EC2::TransitGatewayAttachment",
             "AWS::EC2::TransitGatewayVpcAttachment", "AWS::EC2::TransitGatewayRoute",
             "AWS::EC2::TransitGatewayRouteTableAssociation", "AWS::EC2::TransitGatewayRouteTablePropagation")
REF_NAME_PROP = {  # Ref returns this property (a name CloudFormation generates when it is absent)
    "AWS::S3::Bucket": "BucketName", "AWS::SSM::Parameter": "Name", "AWS::DynamoDB::Table": "TableName",
    "AWS::Lambda::Function": "FunctionName", "AWS::IAM::Role": "RoleName", "AWS::IAM::Policy": None,
    "AWS::IAM::ManagedPolicy": None, "AWS::SQS::Queue": None, "AWS::SecretsManager::Secret": None,
}
TRACED = {
    "AWS::EC2::VPC", "AWS::EC2::VPCCidrBlock", "AWS::EC2::Subnet", "AWS::EC2::RouteTable", "AWS::EC2::Route",
    "AWS::EC2::SubnetRouteTableAssociation", "AWS::EC2::InternetGateway", "AWS::EC2::VPCGatewayAttachment",
    "AWS::EC2::EgressOnlyInternetGateway", "AWS::EC2::NatGateway", "AWS::EC2::EIP", "AWS::EC2::VPCEndpoint",
    "AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress",
    "AWS::EC2::NetworkAcl", "AWS::EC2::NetworkAclEntry", "AWS::EC2::SubnetNetworkAclAssociation",
    "AWS::EC2::VPCPeeringConnection", "AWS::EC2::DHCPOptions", "AWS::EC2::VPCDHCPOptionsAssociation",
    "AWS::Route53::HostedZone", "AWS::Route53::RecordSet", "AWS::Lambda::Function", "AWS::IAM::Role",
    "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::S3::Bucket", "AWS::S3::BucketPolicy",
    "AWS::SSM::Parameter", "AWS::DynamoDB::Table", "AWS::SecretsManager::Secret", "AWS::SQS::Queue", *TGW_TYPES,
}
MANAGED_POLICY_ARNS = {
    "AWSLambdaBasicExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "AWSLambdaVPCAccessExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
    "AWSLambdaExecute": "arn:aws:iam::aws:policy/AWSLambdaExecute",
    "AmazonS3ReadOnlyAccess": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
    "AmazonS3FullAccess": "arn:aws:iam::aws:policy/AmazonS3FullAccess",
    "AmazonSSMReadOnlyAccess": "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess",
    "AmazonDynamoDBReadOnlyAccess": "arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess",
    "AmazonDynamoDBFullAccess": "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess",
    "SecretsManagerReadWrite": "arn:aws:iam::aws:policy/SecretsManagerReadWrite",
    "AWSXrayWriteOnlyAccess": "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
    "AWSXRayDaemonWriteAccess": "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
}
# documents of AWS-managed policies that matter for the services vpctui traces
MANAGED_POLICY_DOCS = {
    "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*", "s3-object-lambda:List*"], "Resource": "*"}]},
    "arn:aws:iam::aws:policy/AmazonS3FullAccess": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:*", "s3-object-lambda:*"], "Resource": "*"}]},
    "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["ssm:Describe*", "ssm:Get*", "ssm:List*"], "Resource": "*"}]},
    "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess": None,
}


# --------------------------------------------------------------------------------------------------
# parsing


def parse_template(text: str, filename: str) -> Any:
    """JSON or YAML (short-form tags) -> nested dicts/lists whose nodes carry ``start_mark``."""
    stripped = text.lstrip()
    try:
        import cfnlint.decode.cfn_json as cfn_json  # noqa: F401
        import cfnlint.decode.cfn_yaml as cfn_yaml
    except ImportError:
        cfn_yaml = None
    if stripped.startswith("{"):
        if cfn_yaml is not None:
            import cfnlint.decode.cfn_json as cfn_json

            try:
                return cfn_json.loads(text)
            except Exception as e:  # noqa: BLE001 - the decoder raises several kinds
                raise LoadError([f"{filename}:{_err_line(e)}: not valid JSON: {_err_text(e)}"]) from None
        try:
            return json.loads(text)
        except ValueError as e:
            raise LoadError([f"{filename}:{getattr(e, 'lineno', 0)}: not valid JSON: {getattr(e, 'msg', e)}"]) from None
    if cfn_yaml is None:
        raise LoadError([f"{filename}:1: reading a CloudFormation YAML template needs the iac extra "
                         "(pip install 'vpctui[iac]', which brings cfn-lint's decoder and the SAM translator)"])
    try:
        return cfn_yaml.loads(text, filename)
    except Exception as e:  # noqa: BLE001
        raise LoadError([f"{filename}:{_err_line(e)}: not a valid YAML template: {_err_text(e)}"]) from None


def _err_line(e: Exception) -> int:
    for m in getattr(e, "matches", None) or ():
        return getattr(m, "linenumber", 0) or 0
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    if mark is not None:
        return mark.line + 1
    return getattr(e, "lineno", 0) or 0


def _err_text(e: Exception) -> str:
    for m in getattr(e, "matches", None) or ():
        return str(getattr(m, "message", m))
    return str(getattr(e, "problem", None) or getattr(e, "msg", None) or e).splitlines()[0]


def _line(node: Any) -> int:
    m = getattr(node, "start_mark", None)
    return m.line + 1 if m is not None else 0


def looks_like_template(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("Resources"), dict) and (
        "AWSTemplateFormatVersion" in data or any(isinstance(r, dict) and "Type" in r for r in data["Resources"].values()))


# --------------------------------------------------------------------------------------------------
# parameters


def parse_params(pairs: list[str], files: list[str]) -> dict[str, str]:
    """--param KEY=VALUE (repeatable) and parameters files: the CLI's JSON list
    ([{"ParameterKey": ..., "ParameterValue": ...}]), {"Parameters": {...}} or a flat mapping."""
    out: dict[str, str] = {}
    for path in files:
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
        except FileNotFoundError:
            raise LoadError([f"{path}: no such file"]) from None
        except ValueError as e:
            raise LoadError([f"{path}:{getattr(e, 'lineno', 0)}: not valid JSON: {getattr(e, 'msg', e)}"]) from None
        if isinstance(data, dict) and isinstance(data.get("Parameters"), dict):
            data = data["Parameters"]
        if isinstance(data, list):
            for i, p in enumerate(data):
                if not isinstance(p, dict) or "ParameterKey" not in p:
                    raise LoadError([f"{path}: [{i}]: each item needs ParameterKey and ParameterValue"])
                out[str(p["ParameterKey"])] = p.get("ParameterValue")
        elif isinstance(data, dict):
            out.update({str(k): v for k, v in data.items()})
        else:
            raise LoadError([f"{path}: a parameters file is a list of {{ParameterKey, ParameterValue}} or a mapping"])
    for kv in pairs:
        k, sep, v = kv.partition("=")
        if not sep or not k:
            raise LoadError([f"--param {kv!r}: use KEY=VALUE"])
        out[k] = v
    return out


# --------------------------------------------------------------------------------------------------
# intrinsics


@dataclass
class _Res:
    logical_id: str
    type: str
    props: Any
    line: int
    node: Any
    condition: Optional[str] = None


@dataclass
class _Ctx:
    file: str
    region: str
    account: str
    stack: str
    params: dict[str, Any]
    resources: dict[str, _Res]
    conditions: dict[str, Any]
    mappings: dict[str, Any]
    cond_cache: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _fmt_path(path: str) -> str:
    return path


class Evaluator:
    def __init__(self, ctx: _Ctx):
        self.c = ctx

    def err(self, node: Any, path: str, msg: str) -> TemplateError:
        return TemplateError(_line(node), path, msg)

    def ev(self, v: Any, path: str) -> Any:
        if isinstance(v, dict):
            if len(v) == 1:
                (k, arg), = v.items()
                if k == "Ref":
                    return self.ref(arg, v, path)
                if isinstance(k, str) and (k.startswith("Fn::") or k == "Condition"):
                    return self.fn(k, arg, v, f"{path}.{k}")
            out = {}
            for k, x in v.items():
                r = self.ev(x, f"{path}.{k}")
                if r is not NO_VALUE:
                    out[str(k)] = r
            return out
        if isinstance(v, list):
            out_l = []
            for i, x in enumerate(v):
                r = self.ev(x, f"{path}[{i}]")
                if r is not NO_VALUE:
                    out_l.append(r)
            return out_l
        if isinstance(v, str):
            return str(v)
        return v

    def pseudo(self, name: str) -> Any:
        c = self.c
        return {"AWS::Region": c.region, "AWS::AccountId": c.account, "AWS::Partition": "aws",
                "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": c.stack,
                "AWS::StackId": Unk("AWS::StackId known after deployment"),
                "AWS::NotificationARNs": [], "AWS::NoValue": NO_VALUE}.get(name, Unk(f"{name}: not a pseudo-parameter vpctui knows"))

    def ref(self, name: Any, node: Any, path: str) -> Any:
        if not isinstance(name, str):
            raise self.err(node, path, "Ref takes a name")
        if name.startswith("AWS::"):
            return self.pseudo(name)
        if name in self.c.params:
            return self.c.params[name]
        r = self.c.resources.get(name)
        if r is None:
            raise self.err(node, f"{path}.Ref", f"{name!r} is neither a parameter nor a resource of this template")
        return self.ref_value(r)

    def ref_value(self, r: _Res) -> Any:
        if r.type in REF_ID_PREFIX:
            return pending_id(REF_ID_PREFIX[r.type], r.logical_id)
        if r.type in REF_NAME_PROP:
            prop = REF_NAME_PROP[r.type]
            v = self.ev(r.props.get(prop), f"Resources.{r.logical_id}.Properties.{prop}") if prop and isinstance(r.props, dict) and prop in r.props else None
            if isinstance(v, str):
                return v
            if r.type in ("AWS::Lambda::Function", "AWS::IAM::Role"):
                return r.logical_id  # a generated name; the logical id stands in (see the note)
            return Unk(f"{r.logical_id}: its name is generated by CloudFormation at deployment")
        if r.type == "AWS::SQS::Queue":
            return Unk(f"{r.logical_id}: the queue URL is known after deployment")
        return pending_id("", r.logical_id)

    def getatt(self, lid: str, attr: str, node: Any, path: str) -> Any:
        r = self.c.resources.get(lid)
        if r is None:
            raise self.err(node, path, f"{lid!r} is not a resource of this template")
        p = r.props if isinstance(r.props, dict) else {}
        t = r.type
        name = self.ref_value(r)
        if t == "AWS::EC2::VPC" and attr == "CidrBlock":
            return self.ev(p.get("CidrBlock"), f"Resources.{lid}.Properties.CidrBlock")
        if t == "AWS::EC2::VPC" and attr == "DefaultSecurityGroup":
            return pending_id("sg-", f"{lid} default security group")
        if t == "AWS::EC2::VPC" and attr == "DefaultNetworkAcl":
            return pending_id("acl-", f"{lid} default network ACL")
        if t == "AWS::EC2::VPC" and attr == "VpcId":
            return name
        if t == "AWS::EC2::SecurityGroup" and attr == "GroupId":
            return name
        if t == "AWS::EC2::Subnet" and attr == "SubnetId":
            return name
        if t == "AWS::EC2::Subnet" and attr == "VpcId":
            return self.ev(p.get("VpcId"), f"Resources.{lid}.Properties.VpcId")
        if t in ("AWS::EC2::RouteTable", "AWS::EC2::NatGateway", "AWS::EC2::InternetGateway") and attr.endswith("Id"):
            return name
        if t == "AWS::IAM::Role" and attr == "Arn":
            return f"arn:aws:iam::{self.c.account}:role/{name}"
        if t == "AWS::IAM::Role" and attr == "RoleId":
            return Unk(f"{lid}.RoleId known after deployment")
        if t == "AWS::S3::Bucket" and attr == "Arn":
            return name if isinstance(name, Unk) else f"arn:aws:s3:::{name}"
        if t == "AWS::Lambda::Function" and attr == "Arn":
            return f"arn:aws:lambda:{self.c.region}:{self.c.account}:function:{name}"
        if t == "AWS::DynamoDB::Table" and attr == "Arn":
            return name if isinstance(name, Unk) else f"arn:aws:dynamodb:{self.c.region}:{self.c.account}:table/{name}"
        if t == "AWS::SSM::Parameter" and attr == "Value":
            return self.ev(p.get("Value"), f"Resources.{lid}.Properties.Value")
        return Unk(f"{lid}.{attr} known after deployment")

    def fn(self, k: str, a: Any, node: Any, path: str) -> Any:
        if k == "Fn::GetAtt":
            if isinstance(a, str):
                a = a.split(".", 1)
            if not isinstance(a, list) or len(a) != 2:
                raise self.err(node, path, "Fn::GetAtt takes [LogicalId, Attribute]")
            attr = self.ev(a[1], path)
            if isinstance(attr, Unk):
                return attr
            return self.getatt(str(a[0]), str(attr), node, path)
        if k == "Fn::Sub":
            if isinstance(a, list):
                if len(a) != 2 or not isinstance(a[1], dict):
                    raise self.err(node, path, "Fn::Sub takes a string or [string, {variables}]")
                text, vars_ = a[0], {str(x): self.ev(y, f"{path}[1].{x}") for x, y in a[1].items()}
            else:
                text, vars_ = a, {}
            if not isinstance(text, str):
                raise self.err(node, path, "Fn::Sub takes a string")
            unk: list[str] = []

            def sub(m: re.Match) -> str:
                expr = m.group(1)
                if expr.startswith("!"):
                    return "${" + expr[1:] + "}"
                if expr in vars_:
                    v = vars_[expr]
                elif "." in expr and not expr.startswith("AWS::"):
                    lid, attr = expr.split(".", 1)
                    v = self.getatt(lid, attr, node, path)
                else:
                    v = self.ref(expr, node, path)
                if isinstance(v, Unk):
                    unk.append(v.reason)
                    return ""
                if isinstance(v, list):
                    return ",".join(str(x) for x in v)
                return str(v)

            s = re.sub(r"\$\{([^}]*)\}", sub, text)
            return Unk(unk[0]) if unk else s
        if k == "Fn::Join":
            if not isinstance(a, list) or len(a) != 2:
                raise self.err(node, path, "Fn::Join takes [delimiter, [values]]")
            d, items = self.ev(a[0], path), self.ev(a[1], path)
            if isinstance(items, Unk):
                return items
            if not isinstance(items, list):
                raise self.err(node, path, "Fn::Join takes a list of values")
            for x in items:
                if isinstance(x, Unk):
                    return x
            return str(d).join(str(x) for x in items)
        if k == "Fn::Select":
            if not isinstance(a, list) or len(a) != 2:
                raise self.err(node, path, "Fn::Select takes [index, [values]]")
            i, items = self.ev(a[0], path), self.ev(a[1], path)
            if isinstance(items, Unk) or isinstance(i, Unk):
                return items if isinstance(items, Unk) else i
            try:
                return items[int(i)]
            except (ValueError, TypeError, IndexError):
                raise self.err(node, path, f"Fn::Select: index {i!r} is outside the list") from None
        if k == "Fn::Split":
            d, s = self.ev(a[0], path), self.ev(a[1], path)
            return s if isinstance(s, Unk) else str(s).split(str(d))
        if k == "Fn::GetAZs":
            region = self.ev(a, path) or self.c.region
            return [f"{region}{x}" for x in "abcdef"]
        if k == "Fn::Cidr":
            block, count, bits = (self.ev(x, path) for x in a)
            for x in (block, count, bits):
                if isinstance(x, Unk):
                    return x
            try:
                net = ipaddress.ip_network(str(block), strict=False)
                prefix = net.max_prefixlen - int(bits)
                return [str(s) for _, s in zip(range(int(count)), net.subnets(new_prefix=prefix))]
            except ValueError as e:
                raise self.err(node, path, f"Fn::Cidr: {e}") from None
        if k == "Fn::If":
            if not isinstance(a, list) or len(a) != 3:
                raise self.err(node, path, "Fn::If takes [condition, value if true, value if false]")
            c = self.condition(str(a[0]), node, path)
            if isinstance(c, Unk):
                return c
            return self.ev(a[1] if c else a[2], path)
        if k in ("Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Condition"):
            return self.cond_expr({k: a}, node, path)
        if k == "Fn::ImportValue":
            name = self.ev(a, path)
            return Unk(f"Fn::ImportValue {name if not isinstance(name, Unk) else '(an unknown name)'}: "
                       "an export of another stack, not in the input")
        if k == "Fn::FindInMap":
            m, k1, k2 = (self.ev(x, path) for x in a[:3])
            for x in (m, k1, k2):
                if isinstance(x, Unk):
                    return x
            try:
                return self.ev(self.c.mappings[m][k1][k2], path)
            except (KeyError, TypeError):
                raise self.err(node, path, f"Fn::FindInMap: {m}.{k1}.{k2} is not in Mappings") from None
        if k == "Fn::Base64":
            return self.ev(a, path)
        if k == "Fn::ToJsonString":
            v = self.ev(a, path)
            return v if isinstance(v, Unk) else json.dumps(v)
        if k == "Fn::Length":
            v = self.ev(a, path)
            return v if isinstance(v, Unk) else len(v)
        raise self.err(node, path, f"{k} is not supported")

    def condition(self, name: str, node: Any, path: str) -> Any:
        c = self.c
        if name in c.cond_cache:
            return c.cond_cache[name]
        if name not in c.conditions:
            raise self.err(node, path, f"condition {name!r} is not defined under Conditions")
        c.cond_cache[name] = Unk(f"condition {name} refers to itself")
        v = self.cond_expr(c.conditions[name], c.conditions[name], f"Conditions.{name}")
        c.cond_cache[name] = v
        return v

    def cond_expr(self, e: Any, node: Any, path: str) -> Any:
        if isinstance(e, dict) and len(e) == 1:
            (k, a), = e.items()
            if k == "Condition":
                return self.condition(str(a), node, path)
            if k == "Fn::Equals":
                x, y = self.ev(a[0], path), self.ev(a[1], path)
                if isinstance(x, Unk) or isinstance(y, Unk):
                    return x if isinstance(x, Unk) else y
                return str(x) == str(y)
            if k in ("Fn::And", "Fn::Or"):
                vals = [self.cond_expr(x, node, path) for x in a]
                known = [v for v in vals if not isinstance(v, Unk)]
                if k == "Fn::And" and False in known:
                    return False
                if k == "Fn::Or" and True in known:
                    return True
                unk = [v for v in vals if isinstance(v, Unk)]
                return unk[0] if unk else (k == "Fn::And")
            if k == "Fn::Not":
                v = self.cond_expr(a[0] if isinstance(a, list) else a, node, path)
                return v if isinstance(v, Unk) else not v
        v = self.ev(e, path)
        if isinstance(v, (bool, Unk)):
            return v
        return str(v).lower() == "true"


def _has_unk(v: Any) -> Optional[Unk]:
    if isinstance(v, Unk):
        return v
    if isinstance(v, dict):
        for x in v.values():
            u = _has_unk(x)
            if u:
                return u
    if isinstance(v, list):
        for x in v:
            u = _has_unk(x)
            if u:
                return u
    return None


# --------------------------------------------------------------------------------------------------


def _sam_translate(tpl: dict, filename: str, region: str, account: str, params: dict) -> dict:
    try:
        import boto3
        from samtranslator.parser.parser import Parser
        from samtranslator.translator.translator import Translator
    except ImportError:
        raise LoadError([f"{filename}:1: Transform: a SAM template needs the AWS SAM translator "
                         "(pip install 'vpctui[iac]')"]) from None
    session = boto3.session.Session(region_name=region, aws_access_key_id="offline", aws_secret_access_key="offline")
    plain = json.loads(json.dumps(tpl, default=str))
    pv = {"AWS::AccountId": account, "AWS::Region": region, "AWS::Partition": "aws", **{k: v for k, v in params.items()}}
    try:
        out = Translator(dict(MANAGED_POLICY_ARNS), Parser(), boto_session=session).translate(plain, pv)
    except Exception as e:  # noqa: BLE001 - the translator raises its own exceptions with causes
        causes = getattr(e, "causes", None) or [e]
        lines = []
        for c in causes:
            msg = str(getattr(c, "message", c)).splitlines()[0]
            lid = getattr(c, "_logical_id", None) or getattr(c, "logical_id", None)
            res = tpl.get("Resources", {})
            if lid in res:
                where = f"{_line(res[lid])}: Resources.{lid}: "
            elif lid:
                where = f"{_line(next((k for k in tpl if k == lid), None))}: {lid}: "
            else:
                where = "1: "
            lines.append(f"{filename}:{where}SAM: {msg}")
        raise LoadError(lines) from None
    return out


class _Cfn:
    def __init__(self, tpl: Any, filename: str, params: dict[str, Any], region: Optional[str], account: Optional[str]):
        self.file = filename
        self.tpl = tpl
        self.doc = IacDoc(filename, "CloudFormation template")
        self.user_params = params
        self.region = params.get("AWS::Region") or region
        self.account = params.get("AWS::AccountId") or account
        self.lines: dict[str, int] = {}

    def build(self) -> IacDoc:
        tpl, doc = self.tpl, self.doc
        if not isinstance(tpl, dict) or not isinstance(tpl.get("Resources"), dict):
            doc.errors.append(f"{self.file}:1: Resources: a template needs a Resources mapping")
            return doc
        if self.region is None:
            self.region = "us-east-1"
            doc.notes.append(f"{self.file}: AWS::Region not given: us-east-1 assumed (--param AWS::Region=...)")
        if self.account is None:
            self.account = "111122223333"
            doc.notes.append(f"{self.file}: AWS::AccountId not given: 111122223333 assumed (--param AWS::AccountId=...)")
        doc.region, doc.account_id = self.region, self.account
        for lid, r in tpl["Resources"].items():
            self.lines[str(lid)] = _line(lid) or _line(r)
        transform = tpl.get("Transform")
        transforms = transform if isinstance(transform, list) else [transform] if transform else []
        src_tpl = tpl
        if SAM_TRANSFORM in transforms:
            doc.kind = "SAM template"
            tpl = _sam_translate(tpl, self.file, self.region, self.account, self.user_params)
        elif transforms:
            doc.errors.append(f"{self.file}:{_line(transform)}: Transform: {', '.join(map(str, transforms))} is not read "
                              f"(only {SAM_TRANSFORM})")
            return doc
        if isinstance(src_tpl.get("Metadata"), dict) and "AWS::CDK::Metadata" in json.dumps(list(src_tpl.get("Resources", {}).values())[:0]):
            pass
        if any(isinstance(r, dict) and r.get("Type") == "AWS::CDK::Metadata" for r in tpl["Resources"].values()):
            doc.kind = "CDK synth template"
        params = self._params(tpl)
        resources: dict[str, _Res] = {}
        for lid, r in tpl["Resources"].items():
            lid = str(lid)
            if not isinstance(r, dict) or "Type" not in r:
                doc.errors.append(f"{self.file}:{self._line(lid)}: Resources.{lid}: a resource needs a Type")
                continue
            resources[lid] = _Res(lid, str(r["Type"]), r.get("Properties") or {}, self._line(lid), r, r.get("Condition"))
        self.ctx = _Ctx(self.file, self.region, self.account, self.user_params.get("AWS::StackName", "stack"), params,
                        resources, tpl.get("Conditions") or {}, tpl.get("Mappings") or {})
        self.ev = Evaluator(self.ctx)
        self.res = resources
        self.items: dict[str, dict] = {}
        self.props: dict[str, dict] = {}
        for lid, r in resources.items():
            self._check_type(r)
            if r.type not in TRACED:
                continue
            if r.condition:
                c = self._guard(lambda: self.ev.condition(str(r.condition), r.node, f"Resources.{lid}.Condition"), lid)
                if c is None:
                    continue
                if isinstance(c, Unk):
                    doc.notes.append(f"{self.file}:{r.line}: {lid}: whether it is created is not known ({c.reason}); left out")
                    doc.unknown(self.ref_id(lid), f"{lid}: created only if {c.reason}")
                    continue
                if not c:
                    continue
            p = self._guard(lambda: self.ev.ev(r.props, f"Resources.{lid}.Properties"), lid)
            if p is None:
                continue
            self.props[lid] = p
        if doc.errors:
            return doc
        order = ["AWS::EC2::VPC", "AWS::EC2::VPCCidrBlock", "AWS::EC2::DHCPOptions", "AWS::EC2::VPCDHCPOptionsAssociation",
                 "AWS::EC2::Subnet", "AWS::EC2::InternetGateway", "AWS::EC2::VPCGatewayAttachment",
                 "AWS::EC2::EgressOnlyInternetGateway", "AWS::EC2::EIP", "AWS::EC2::NatGateway", "AWS::EC2::RouteTable",
                 "AWS::EC2::Route", "AWS::EC2::SubnetRouteTableAssociation", "AWS::EC2::SecurityGroup",
                 "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress", "AWS::EC2::NetworkAcl",
                 "AWS::EC2::NetworkAclEntry", "AWS::EC2::SubnetNetworkAclAssociation", "AWS::EC2::VPCEndpoint",
                 "AWS::EC2::VPCPeeringConnection", "AWS::Route53::HostedZone", "AWS::Route53::RecordSet",
                 "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::S3::Bucket",
                 "AWS::S3::BucketPolicy", "AWS::SSM::Parameter", "AWS::DynamoDB::Table", "AWS::SecretsManager::Secret",
                 "AWS::SQS::Queue", "AWS::Lambda::Function", *TGW_TYPES]
        for t in order:
            for lid, p in self.props.items():
                if self.res[lid].type == t:
                    self._guard(lambda: getattr(self, "_" + t.split("::", 1)[1].replace("::", "_"))(lid, p), lid)
        return doc

    # ---- helpers ---------------------------------------------------------------------------------

    def _line(self, lid: str) -> int:
        if lid in self.lines:
            return self.lines[lid]
        for orig, line in self.lines.items():  # a resource the SAM translator made from ``orig``
            if lid.startswith(orig):
                return line
        return 0

    def _guard(self, f, lid: str):
        try:
            return f()
        except TemplateError as e:
            self.doc.errors.append(f"{self.file}:{e.line or self._line(lid)}: {e.path}: {e.msg}")
            return None

    def _check_type(self, r: _Res) -> None:
        t = r.type
        if t.startswith("Custom::") or t in TRACED or t == "AWS::CDK::Metadata" or t.startswith("AWS::CloudFormation::"):
            return
        if not re.fullmatch(r"(AWS|Alexa)::[A-Za-z0-9]+::[A-Za-z0-9]+(::[A-Za-z0-9]+)?", t) or not _known_type(t, self.region):
            self.doc.errors.append(f"{self.file}:{r.line}: Resources.{r.logical_id}.Type: {t!r} is not a CloudFormation resource type")

    def _params(self, tpl: dict) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, spec in (tpl.get("Parameters") or {}).items():
            name = str(name)
            spec = spec if isinstance(spec, dict) else {}
            typ = str(spec.get("Type", "String"))
            if name in self.user_params:
                v = self.user_params[name]
            elif "Default" in spec:
                v = spec["Default"]
            else:
                out[name] = Unk(f"parameter {name} has no default and was not given (--param {name}=VALUE)")
                continue
            if typ.startswith("AWS::SSM::Parameter::Value"):
                out[name] = Unk(f"parameter {name} is read from SSM parameter {v} at deployment")
                continue
            if typ.startswith("List<") or typ == "CommaDelimitedList":
                v = [x.strip() for x in v.split(",")] if isinstance(v, str) else list(v)
            out[name] = v if isinstance(v, list) else str(v)
        for k in self.user_params:
            if k not in out and not k.startswith("AWS::"):
                self.doc.notes.append(f"{self.file}: --param {k}: the template has no such parameter")
        return out

    def ref_id(self, lid: str) -> Any:
        r = self.res[lid]
        return self.ev.ref_value(r)

    def add(self, section: str, fields: dict, lid: str) -> dict:
        return self.doc.add(section, fields, lid, self._line(lid))

    def ident(self, lid: str, v: Any, what: str, required: bool = True) -> Any:
        """A reference-valued property: a string id/name, or None (with an unknown recorded)."""
        if isinstance(v, Unk):
            self.doc.unknown(self.ref_id(lid) if isinstance(self.ref_id(lid), str) else lid, f"{lid}: {what}: {v.reason}")
            return None
        if v is None:
            return None
        return str(v)

    def _name_tag(self, p: dict) -> str:
        for t in p.get("Tags") or ():
            if isinstance(t, dict) and t.get("Key") == "Name" and isinstance(t.get("Value"), str):
                return t["Value"]
        return ""

    # ---- resources -----------------------------------------------------------------------------

    def _EC2_VPC(self, lid, p):  # noqa: N802
        cidr = p.get("CidrBlock")
        vid = self.ref_id(lid)
        if not isinstance(cidr, str):
            self.doc.unknown("vpcs", f"{lid}: CidrBlock: {cidr.reason if isinstance(cidr, Unk) else 'not given (IPAM pools are not read)'}")
            return
        f = {"vpc_id": vid, "cidr_block": cidr, "name": self._name_tag(p),
             "enable_dns_support": _bool(p.get("EnableDnsSupport", True)),
             "enable_dns_hostnames": _bool(p.get("EnableDnsHostnames", False))}
        self.items[vid] = self.add("vpcs", f, lid)

    def _EC2_VPCCidrBlock(self, lid, p):  # noqa: N802
        vid = self.ident(lid, p.get("VpcId"), "VpcId")
        v = self.items.get(vid or "")
        if v is None:
            return
        if isinstance(p.get("CidrBlock"), str):
            v["cidr_blocks"] = (v["cidr_block"],) + tuple(v.get("cidr_blocks", ())[1:]) + (p["CidrBlock"],)
        elif isinstance(p.get("Ipv6CidrBlock"), str):
            v["ipv6_cidr_block"] = p["Ipv6CidrBlock"]
        elif p.get("AmazonProvidedIpv6CidrBlock"):
            self.doc.unknown(vid, f"{lid}: the Amazon-provided IPv6 CIDR is known after deployment")

    def _EC2_DHCPOptions(self, lid, p):  # noqa: N802
        self.items[self.ref_id(lid)] = {"servers": p.get("DomainNameServers") or ["AmazonProvidedDNS"]}

    def _EC2_VPCDHCPOptionsAssociation(self, lid, p):  # noqa: N802
        vid = self.ident(lid, p.get("VpcId"), "VpcId")
        opts = self.items.get(str(p.get("DhcpOptionsId")))
        if vid in self.items and opts is not None:
            self.items[vid]["domain_name_servers"] = tuple(opts["servers"])
        elif vid in self.items and p.get("DhcpOptionsId") != "default":
            self.doc.unknown("dhcp_options", f"{lid}: the DHCP options {p.get('DhcpOptionsId')} are not in the input")

    def _EC2_Subnet(self, lid, p):  # noqa: N802
        sid = self.ref_id(lid)
        vid = self.ident(lid, p.get("VpcId"), "VpcId")
        cidr, v6 = p.get("CidrBlock"), p.get("Ipv6CidrBlock")
        if vid is None or (not isinstance(cidr, str) and not isinstance(v6, str)):
            why = cidr.reason if isinstance(cidr, Unk) else "no CidrBlock"
            self.doc.unknown(sid, f"{lid}: CidrBlock: {why}")
            return
        f = {"subnet_id": sid, "vpc_id": vid, "name": self._name_tag(p),
             "map_public_ip_on_launch": _bool(p.get("MapPublicIpOnLaunch", False))}
        if isinstance(p.get("AvailabilityZone"), str):
            f["availability_zone"] = p["AvailabilityZone"]
        if isinstance(cidr, str):
            f["cidr_block"] = cidr
        if isinstance(v6, str):
            f["ipv6_cidr_block"] = v6
        self.items[sid] = self.add("subnets", f, lid)

    def _EC2_InternetGateway(self, lid, p):  # noqa: N802
        gid = self.ref_id(lid)
        self.items[gid] = self.add("internet_gateways", {"internet_gateway_id": gid, "name": self._name_tag(p)}, lid)

    def _EC2_VPCGatewayAttachment(self, lid, p):  # noqa: N802
        vid = self.ident(lid, p.get("VpcId"), "VpcId")
        gid = self.ident(lid, p.get("InternetGatewayId"), "InternetGatewayId")
        if gid in self.items and vid:
            self.items[gid]["vpc_id"] = vid

    def _EC2_EgressOnlyInternetGateway(self, lid, p):  # noqa: N802
        gid = self.ref_id(lid)
        f = {"egress_only_internet_gateway_id": gid}
        vid = self.ident(lid, p.get("VpcId"), "VpcId")
        if vid:
            f["vpc_id"] = vid
        self.items[gid] = self.add("egress_only_internet_gateways", f, lid)

    def _EC2_EIP(self, lid, p):  # noqa: N802
        pass

    # transit gateways --------------------------------------------------------------------------

    def _EC2_TransitGateway(self, lid, p):  # noqa: N802
        gid = self.ref_id(lid)
        f: dict = {"transit_gateway_id": gid, "name": self._name_tag(p)}
        for k, key in (("DefaultRouteTableAssociation", "default_route_table_association"),
                       ("DefaultRouteTablePropagation", "default_route_table_propagation"), ("DnsSupport", "dns_support")):
            if isinstance(p.get(k), str):
                f[key] = p[k] == "enable"
        rid = ""
        if f.get("default_route_table_association", True) or f.get("default_route_table_propagation", True):
            # created by AWS with the transit gateway; a template cannot name it (no attribute returns it)
            rid = pending_id("tgw-rtb-", f"{lid} default route table")
            f["association_default_route_table_id"] = f["propagation_default_route_table_id"] = rid
        self.items[gid] = self.add("transit_gateways", f, lid)
        if rid:
            self.items[rid] = self.doc.add("transit_gateway_route_tables", {
                "transit_gateway_route_table_id": rid, "transit_gateway_id": gid, "name": "default (created by AWS)",
                "default_association_route_table": True, "default_propagation_route_table": True,
                "associations": [], "propagations": [], "routes": []}, f"{lid} default route table", self._line(lid))

    def _EC2_TransitGatewayRouteTable(self, lid, p):  # noqa: N802
        gid = self.ident(lid, p.get("TransitGatewayId"), "TransitGatewayId")
        if gid is None:
            return
        rid = self.ref_id(lid)
        self.items[rid] = self.add("transit_gateway_route_tables", {
            "transit_gateway_route_table_id": rid, "transit_gateway_id": gid, "name": self._name_tag(p),
            "associations": [], "propagations": [], "routes": []}, lid)

    def _EC2_TransitGatewayVpcAttachment(self, lid, p):  # noqa: N802
        gid = self.ident(lid, p.get("TransitGatewayId"), "TransitGatewayId")
        vid = self.ident(lid, p.get("VpcId"), "VpcId")
        subs = p.get("SubnetIds") or []
        aid = self.ref_id(lid)
        if gid is None or vid is None or _has_unk(subs):
            self.doc.unknown("transit_gateway_attachments", f"{lid}: its transit gateway, VPC or subnets are not known")
            return
        f: dict = {"transit_gateway_attachment_id": aid, "transit_gateway_id": gid, "vpc_id": vid,
                   "subnet_ids": tuple(str(x) for x in subs), "name": self._name_tag(p)}
        opts = p.get("Options") or {}
        if isinstance(opts.get("ApplianceModeSupport"), str):
            f["appliance_mode_support"] = opts["ApplianceModeSupport"] == "enable"
        self.add("transit_gateway_attachments", f, lid)
        tgw = self.items.get(gid)
        if tgw is not None:
            for key, lst, flag in (("association_default_route_table_id", "associations", "default_route_table_association"),
                                   ("propagation_default_route_table_id", "propagations", "default_route_table_propagation")):
                rt = self.items.get(tgw.get(key, ""))
                if rt is not None and tgw.get(flag, True):
                    rt[lst].append(aid)

    def _EC2_TransitGatewayAttachment(self, lid, p):  # noqa: N802
        self._EC2_TransitGatewayVpcAttachment(lid, p)

    def _EC2_TransitGatewayRoute(self, lid, p):  # noqa: N802
        rid = self.ident(lid, p.get("TransitGatewayRouteTableId"), "TransitGatewayRouteTableId")
        rt = self.items.get(rid or "")
        if rt is None:
            return
        dest = p.get("DestinationCidrBlock")
        if not isinstance(dest, str):
            self.doc.unknown(rid, f"{lid}: DestinationCidrBlock not known")
            return
        if _bool(p.get("Blackhole", False)):
            rt["routes"].append({"destination": dest, "blackhole": True})
            return
        att = self.ident(lid, p.get("TransitGatewayAttachmentId"), "TransitGatewayAttachmentId")
        if att:
            rt["routes"].append({"destination": dest, "attachment": att})

    def _tgw_assoc(self, lid, p, lst):
        rid = self.ident(lid, p.get("TransitGatewayRouteTableId"), "TransitGatewayRouteTableId")
        att = self.ident(lid, p.get("TransitGatewayAttachmentId"), "TransitGatewayAttachmentId")
        rt = self.items.get(rid or "")
        if rt is None or not att:
            return
        if lst == "associations":
            for other in self.items.values():
                if other is not rt and isinstance(other, dict) and att in (other.get("associations") or []) \
                        and "transit_gateway_route_table_id" in other:
                    other["associations"].remove(att)
        if att not in rt[lst]:
            rt[lst].append(att)

    def _EC2_TransitGatewayRouteTableAssociation(self, lid, p):  # noqa: N802
        self._tgw_assoc(lid, p, "associations")

    def _EC2_TransitGatewayRouteTablePropagation(self, lid, p):  # noqa: N802
        self._tgw_assoc(lid, p, "propagations")

    def _EC2_NatGateway(self, lid, p):  # noqa: N802
        nid = self.ref_id(lid)
        sid = self.ident(lid, p.get("SubnetId"), "SubnetId")
        if sid is None:
            return
        ct = str(p.get("ConnectivityType", "public"))
        f = {"nat_gateway_id": nid, "subnet_id": sid, "connectivity_type": ct, "name": self._name_tag(p)}
        self.items[nid] = self.add("nat_gateways", f, lid)
        if ct == "public":
            self.doc.unknown(f"{nid}:public_ip", f"{lid}: its Elastic IP is known after deployment")

    def _EC2_RouteTable(self, lid, p):  # noqa: N802
        rid = self.ref_id(lid)
        vid = self.ident(lid, p.get("VpcId"), "VpcId")
        if vid is None:
            self.doc.unknown(rid, f"{lid}: VpcId not known")
            return
        self.items[rid] = self.add("route_tables", {"route_table_id": rid, "vpc_id": vid, "name": self._name_tag(p), "routes": []}, lid)

    def _EC2_Route(self, lid, p):  # noqa: N802
        rid = self.ident(lid, p.get("RouteTableId"), "RouteTableId")
        rt = self.items.get(rid or "")
        if rt is None:
            if rid is not None:
                self.doc.notes.append(f"{self.file}:{self._line(lid)}: {lid}: route table {rid} is not in the input; the route is not placed")
            return
        dest = next((p[k] for k in ("DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId") if k in p), None)
        if isinstance(dest, Unk) or dest is None:
            self.doc.unknown(rid, f"{lid}: the destination: {dest.reason if isinstance(dest, Unk) else 'not given'}")
            return
        for k, prefix in (("GatewayId", "igw-"), ("NatGatewayId", "nat-"), ("VpcEndpointId", "vpce-"),
                          ("VpcPeeringConnectionId", "pcx-"), ("EgressOnlyInternetGatewayId", "eigw-"),
                          ("TransitGatewayId", "tgw-"), ("NetworkInterfaceId", "eni-"), ("InstanceId", "i-"),
                          ("CarrierGatewayId", "cagw-"), ("LocalGatewayId", "lgw-"), ("CoreNetworkArn", "arn:")):
            if k in p:
                t = p[k]
                if isinstance(t, Unk):
                    tid = pending_id(prefix, f"{lid} {k}")
                    self.doc.unknown(tid, f"{lid}: {k}: {t.reason}")
                    t = tid
                rt["routes"].append({"destination": str(dest), "target": str(t)})
                self.doc.extra_sources.setdefault(f"{rid}|{dest}", f"{self.file}:{self._line(lid)} {lid}")
                return

    def _EC2_SubnetRouteTableAssociation(self, lid, p):  # noqa: N802
        rid = self.ident(lid, p.get("RouteTableId"), "RouteTableId")
        sid = self.ident(lid, p.get("SubnetId"), "SubnetId")
        rt = self.items.get(rid or "")
        if rt is None or sid is None:
            self.doc.unknown("route_tables", f"{lid}: the association's route table or subnet is not known")
            return
        rt["associations"] = tuple(rt.get("associations", ())) + (sid,)

    def _EC2_SecurityGroup(self, lid, p):  # noqa: N802
        gid = self.ref_id(lid)
        vid = self.ident(lid, p.get("VpcId"), "VpcId")
        if vid is None:
            self.doc.notes.append(f"{self.file}:{self._line(lid)}: {lid}: a security group without VpcId (EC2-Classic or the default VPC) is left out")
            return
        f: dict = {"group_id": gid, "vpc_id": vid, "group_name": str(p.get("GroupName") or lid),
                   "description": str(p.get("GroupDescription") or ""), "ingress": []}
        # a CloudFormation group without SecurityGroupEgress keeps AWS's allow-all egress rule
        if "SecurityGroupEgress" in p:
            f["egress"] = []
        self.items[gid] = self.add("security_groups", f, lid)
        for r in p.get("SecurityGroupIngress") or ():
            self._sg_rule(lid, gid, "ingress", r)
        for r in p.get("SecurityGroupEgress") or ():
            self._sg_rule(lid, gid, "egress", r)

    def _sg_rule(self, lid: str, gid: str, direction: str, r: dict) -> None:
        g = self.items.get(gid)
        if g is None:
            return
        u = _has_unk(r)
        if u:
            self.doc.unknown(gid, f"{lid}: an {direction} rule: {u.reason}")
            return
        proto = _proto(r.get("IpProtocol"))
        if proto not in ("-1", "tcp", "udp", "icmp"):
            return
        rule: dict = {"protocol": proto}
        if proto in ("tcp", "udp"):
            rule["ports"] = _ports(r.get("FromPort"), r.get("ToPort"))
        for k, key in (("CidrIp", "cidr"), ("CidrIpv6", "cidr"), ("SourcePrefixListId", "prefix_list"),
                       ("DestinationPrefixListId", "prefix_list"), ("SourceSecurityGroupId", "group"),
                       ("DestinationSecurityGroupId", "group")):
            if r.get(k):
                rule[key] = str(r[k])
                break
        else:
            return
        if direction == "egress" and "egress" not in g:
            g["egress"] = []
        if rule not in g[direction]:
            g[direction].append(rule)

    def _EC2_SecurityGroupIngress(self, lid, p, direction="ingress"):  # noqa: N802
        gid = self.ident(lid, p.get("GroupId"), "GroupId")
        if gid not in self.items:
            if gid is not None:
                self.doc.notes.append(f"{self.file}:{self._line(lid)}: {lid}: group {gid} is not in the input; the rule is not placed")
            return
        g = self.items[gid]
        if direction == "egress" and "egress" not in g:
            g["egress"] = []  # a standalone egress rule does not remove the default allow-all
            g["egress"].append({"protocol": "-1", "cidr": "0.0.0.0/0"})
        self._sg_rule(lid, gid, direction, p)

    def _EC2_SecurityGroupEgress(self, lid, p):  # noqa: N802
        self._EC2_SecurityGroupIngress(lid, p, "egress")

    def _EC2_NetworkAcl(self, lid, p):  # noqa: N802
        aid = self.ref_id(lid)
        vid = self.ident(lid, p.get("VpcId"), "VpcId")
        if vid is None:
            return
        self.items[aid] = self.add("network_acls", {"network_acl_id": aid, "vpc_id": vid, "name": self._name_tag(p), "entries": []}, lid)

    def _EC2_NetworkAclEntry(self, lid, p):  # noqa: N802
        aid = self.ident(lid, p.get("NetworkAclId"), "NetworkAclId")
        a = self.items.get(aid or "")
        if a is None:
            return
        if _has_unk(p):
            self.doc.unknown(aid, f"{lid}: {_has_unk(p).reason}")
            return
        proto = _proto(p.get("Protocol"))
        if proto not in ("-1", "tcp", "udp", "icmp"):
            return
        e = {"rule_number": int(p.get("RuleNumber", 0)), "direction": "outbound" if _bool(p.get("Egress", False)) else "inbound",
             "action": str(p.get("RuleAction", "deny")).lower(), "protocol": proto,
             "cidr": str(p.get("CidrBlock") or p.get("Ipv6CidrBlock") or "0.0.0.0/0")}
        if proto in ("tcp", "udp"):
            pr = p.get("PortRange") or {}
            e["ports"] = _ports(pr.get("From"), pr.get("To"))
        a["entries"].append(e)

    def _EC2_SubnetNetworkAclAssociation(self, lid, p):  # noqa: N802
        aid = self.ident(lid, p.get("NetworkAclId"), "NetworkAclId")
        sid = self.ident(lid, p.get("SubnetId"), "SubnetId")
        a = self.items.get(aid or "")
        if a is not None and sid:
            a["associations"] = tuple(a.get("associations", ())) + (sid,)

    def _EC2_VPCEndpoint(self, lid, p):  # noqa: N802
        eid = self.ref_id(lid)
        vid = self.ident(lid, p.get("VpcId"), "VpcId")
        sn = p.get("ServiceName")
        if vid is None or not isinstance(sn, str):
            self.doc.unknown("vpc_endpoints", f"{lid}: ServiceName: {sn.reason if isinstance(sn, Unk) else 'not given'}")
            return
        et = str(p.get("VpcEndpointType", "Gateway"))
        if et not in ("Gateway", "Interface"):
            self.doc.notes.append(f"{self.file}:{self._line(lid)}: {lid}: a {et} endpoint is not followed")
            return
        f: dict = {"vpc_endpoint_id": eid, "vpc_id": vid, "service_name": sn, "vpc_endpoint_type": et}
        for k, key in (("RouteTableIds", "route_table_ids"), ("SubnetIds", "subnet_ids"), ("SecurityGroupIds", "security_group_ids")):
            v = p.get(k)
            if v is None:
                continue
            if _has_unk(v):
                self.doc.unknown(eid if key == "security_group_ids" else "vpc_endpoints", f"{lid}: {k}: {_has_unk(v).reason}")
                continue
            f[key] = tuple(str(x) for x in v)
        if et == "Interface":
            # CloudFormation's default is false (the console's is true)
            f["private_dns_enabled"] = _bool(p.get("PrivateDnsEnabled", False))
        pol = p.get("PolicyDocument")
        if pol is not None:
            if _has_unk(pol):
                self.doc.unknown(eid, f"{lid}: PolicyDocument: {_has_unk(pol).reason}")
            else:
                f["policy"] = _policy_doc(pol)
        self.items[eid] = self.add("vpc_endpoints", f, lid)

    def _EC2_VPCPeeringConnection(self, lid, p):  # noqa: N802
        pid = self.ref_id(lid)
        a = self.ident(lid, p.get("VpcId"), "VpcId")
        b = self.ident(lid, p.get("PeerVpcId"), "PeerVpcId")
        if a and b:
            self.add("vpc_peering_connections", {"vpc_peering_connection_id": pid, "requester_vpc_id": a, "accepter_vpc_id": b}, lid)

    def _Route53_HostedZone(self, lid, p):  # noqa: N802
        vpcs = [self.ident(lid, v.get("VPCId"), "VPCs") for v in p.get("VPCs") or () if isinstance(v, dict)]
        vpcs = [v for v in vpcs if v]
        if not vpcs or not isinstance(p.get("Name"), str):
            return
        zid = self.ref_id(lid)
        self.items[zid] = self.add("private_hosted_zones", {"name": p["Name"].rstrip("."), "vpc_ids": tuple(vpcs),
                                                            "hosted_zone_id": zid, "records": {}}, lid)

    def _Route53_RecordSet(self, lid, p):  # noqa: N802
        z = self.items.get(str(p.get("HostedZoneId")))
        if z is None or p.get("Type") != "A" or not p.get("ResourceRecords") or _has_unk(p):
            return
        z["records"][str(p["Name"]).rstrip(".")] = str(p["ResourceRecords"][0])

    def _IAM_Role(self, lid, p):  # noqa: N802
        name = self.ref_id(lid)
        f: dict = {"role_name": name, "arn": f"arn:aws:iam::{self.account}:role/{name}", "policies": []}
        if not isinstance(p.get("RoleName"), str):
            self.doc.notes.append(f"{self.file}:{self._line(lid)}: {lid}: RoleName not set; CloudFormation generates one, called {lid} here")
        self.items[f"role:{name}"] = self.add("roles", f, lid)
        for pol in p.get("Policies") or ():
            self._attach_doc(f, lid, (pol or {}).get("PolicyDocument"))
        for arn in p.get("ManagedPolicyArns") or ():
            self._attach_managed(f, lid, arn)

    def _attach_doc(self, role: dict, lid: str, pol: Any) -> None:
        u = _has_unk(pol)
        if u:
            why = f"{lid}: a policy: {u.reason}"
            role["error"] = (role["error"] + "; " + why) if role.get("error") else why
        elif pol:
            role["policies"].append(_policy_doc(pol))

    def _attach_managed(self, role: dict, lid: str, arn: Any) -> None:
        from .terraform import KNOWN_MANAGED_POLICIES

        if isinstance(arn, str) and arn in KNOWN_MANAGED_POLICIES:
            role["policies"].append(KNOWN_MANAGED_POLICIES[arn])
        elif isinstance(arn, str) and MANAGED_POLICY_DOCS.get(arn):
            role["policies"].append(MANAGED_POLICY_DOCS[arn])
        elif isinstance(arn, str) and arn in self.managed:
            self._attach_doc(role, lid, self.managed[arn])
        else:
            why = f"{lid}: the managed policy {arn.reason if isinstance(arn, Unk) else arn} is not in the input"
            role["error"] = (role["error"] + "; " + why) if role.get("error") else why

    @property
    def managed(self) -> dict:
        if not hasattr(self, "_managed"):
            self._managed = {}
            for lid, p in self.props.items():
                if self.res[lid].type == "AWS::IAM::ManagedPolicy":
                    self._managed[pending_id("", lid)] = p.get("PolicyDocument")
        return self._managed

    def _IAM_Policy(self, lid, p):  # noqa: N802
        for rname in p.get("Roles") or ():
            role = self.items.get(f"role:{rname}") if isinstance(rname, str) else None
            if role is None:
                if isinstance(rname, str):
                    self.doc.notes.append(f"{self.file}:{self._line(lid)}: {lid}: role {rname} is not in the input")
                continue
            self._attach_doc(role, lid, p.get("PolicyDocument"))
            self.doc.extra_sources.setdefault(f"role:{rname}:{lid}", f"{self.file}:{self._line(lid)} {lid}")

    def _IAM_ManagedPolicy(self, lid, p):  # noqa: N802
        self._IAM_Policy(lid, p)

    def _S3_Bucket(self, lid, p):  # noqa: N802
        name = self.ref_id(lid)
        if isinstance(name, Unk):
            self.doc.notes.append(f"{self.file}:{self._line(lid)}: {lid}: BucketName not set; the bucket's name is generated at deployment, so it is not a target")
            return
        self.items[f"bucket:{name}"] = self.add("buckets", {"name": name}, lid)

    def _S3_BucketPolicy(self, lid, p):  # noqa: N802
        b = p.get("Bucket")
        f = self.items.get(f"bucket:{b}") if isinstance(b, str) else None
        if f is None:
            return
        pol = p.get("PolicyDocument")
        u = _has_unk(pol)
        if u:
            f["policy_error"] = f"{lid}: PolicyDocument: {u.reason}"
        elif pol:
            f["policy"] = _policy_doc(pol)

    def _named(self, section: str, lid: str, p: dict, prop: str) -> None:
        name = p.get(prop)
        if isinstance(name, str):
            self.add(section, {"name": name}, lid)

    def _SSM_Parameter(self, lid, p):  # noqa: N802
        self._named("parameters", lid, p, "Name")

    def _DynamoDB_Table(self, lid, p):  # noqa: N802
        self._named("dynamodb_tables", lid, p, "TableName")

    def _SecretsManager_Secret(self, lid, p):  # noqa: N802
        self._named("secrets", lid, p, "Name")

    def _SQS_Queue(self, lid, p):  # noqa: N802
        self._named("queues", lid, p, "QueueName")

    def _Lambda_Function(self, lid, p):  # noqa: N802
        name = self.ref_id(lid)
        if not isinstance(p.get("FunctionName"), str):
            self.doc.notes.append(f"{self.file}:{self._line(lid)}: {lid}: FunctionName not set; CloudFormation generates one, called {lid} here")
        f: dict = {"function_name": name}
        role = p.get("Role")
        if isinstance(role, str):
            f["role"] = role.rsplit("/", 1)[-1]
        elif isinstance(role, Unk):
            self.doc.notes.append(f"{self.file}:{self._line(lid)}: {lid}: Role: {role.reason}")
        t = p.get("Timeout")
        if isinstance(t, (int, float, str)) and str(t).replace(".", "", 1).isdigit() and float(t) > 0:
            f["timeout"] = float(t)
        if isinstance(p.get("Runtime"), str):
            f["runtime"] = p["Runtime"]
        vc = p.get("VpcConfig")
        patch: dict = {}
        if isinstance(vc, dict):
            for k, key, sec in (("SubnetIds", "subnet_ids", "subnets"), ("SecurityGroupIds", "security_group_ids", "security_groups")):
                v = vc.get(k)
                if isinstance(v, str):
                    v = [v]
                u = _has_unk(v)
                if u:
                    pid = pending_id(sec, f"{lid} VpcConfig.{k}")
                    self.doc.unknown(pid, f"{lid}: VpcConfig.{k}: {u.reason}")
                    patch[key] = (pid,)
                elif v:
                    f[key] = tuple(str(x) for x in v)
            if _bool(vc.get("Ipv6AllowedForDualStack", False)):
                f["ipv6_allowed_for_dual_stack"] = True
        if patch:
            for k in patch:
                f.pop(k, None)
            if "subnet_ids" in patch:
                f.pop("security_group_ids", None)
            self.doc.function_patches[name] = patch
        self.add("lambda_functions", f, lid)


_TYPES_CACHE: dict[str, set] = {}


def _known_type(t: str, region: str) -> bool:
    """Whether ``t`` is a CloudFormation resource type (cfn-lint's schemas, when installed)."""
    try:
        from cfnlint.schema import PROVIDER_SCHEMA_MANAGER
    except ImportError:
        return True
    if region not in _TYPES_CACHE:
        try:
            _TYPES_CACHE[region] = set(PROVIDER_SCHEMA_MANAGER.get_resource_types(region))
        except Exception:  # noqa: BLE001 - an unknown region: no check
            _TYPES_CACHE[region] = set()
    types = _TYPES_CACHE[region]
    return not types or t in types


def _bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    return str(v).lower() == "true"


def _proto(p: Any) -> str:
    s = str(p if p is not None else "-1").lower()
    return {"all": "-1", "-1": "-1", "6": "tcp", "17": "udp", "1": "icmp", "tcp": "tcp", "udp": "udp", "icmp": "icmp"}.get(s, s)


def _ports(lo: Any, hi: Any) -> Any:
    try:
        a, b = int(lo), int(hi)
    except (TypeError, ValueError):
        return "all"
    if a < 0 or b < 0 or (a == 0 and b == 65535):
        return "all"
    return a if a == b else f"{a}-{b}"


def _policy_doc(p: Any) -> Any:
    if isinstance(p, str):
        try:
            return json.loads(p)
        except ValueError:
            return p
    return json.loads(json.dumps(p))


# --------------------------------------------------------------------------------------------------


def cloudformation_doc(tpl: Any, filename: str, params: Optional[dict] = None, region: Optional[str] = None,
                       account: Optional[str] = None) -> IacDoc:
    """A parsed template -> an IacDoc (errors inside it, never raised)."""
    return _Cfn(tpl, filename, dict(params or {}), region, account).build()


def read_template(path: str) -> Any:
    from . import read_text_file

    text = read_text_file(path)
    return parse_template(text, path)


def load_cloudformation(path: str, params: Optional[dict] = None):
    from .iac import build_network

    return build_network([cloudformation_doc(read_template(path), path, params)])
