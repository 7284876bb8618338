"""Build the seed's VPC (and its variants, and bigger copies) in an AWS-compatible API with plain
boto3 calls, the way a user would with the console or the CLI. Used against moto's server."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field

BUCKET = "vpc-notes-bucket"
KEY = "hello.txt"
PARAM = "/vpc-notes/parameter"
S3_TARGET = f"s3://{BUCKET}/{KEY}"
SSM_TARGET = f"ssm:{PARAM}"
TARGETS = (S3_TARGET, SSM_TARGET)

ROLE_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
         "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"]},
        {"Effect": "Allow", "Action": "ssm:GetParameter",
         "Resource": "arn:aws:ssm:us-east-1:*:parameter/vpc-notes/*"},
    ],
}
VPC_ACCESS = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
                                   "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses",
                                   "ec2:UnassignPrivateIpAddresses", "logs:CreateLogGroup",
                                   "logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"}]}
TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return 'ok'\n")
    return buf.getvalue()


def _tag(name: str) -> list[dict]:
    return [{"Key": "Name", "Value": name}]


def _spec(kind: str, name: str) -> list[dict]:
    return [{"ResourceType": kind, "Tags": _tag(name)}]


@dataclass
class Built:
    """What was created: scenario name -> real id, for comparing with the scenario files."""

    ids: dict[str, str] = field(default_factory=dict)
    functions: list[str] = field(default_factory=list)

    def __getitem__(self, k: str) -> str:
        return self.ids[k]

    def to_scenario(self) -> dict[str, str]:
        """Real id -> the id the seed scenario file uses (copies == 1 only)."""
        names = {"vpc": "vpc-0a5e1d", "igw": "igw-0e1f", "nat": "nat-0c0ffee", "rtb-main": "rtb-0iso",
                 "rtb1": "rtb-0pub", "rtb2": "rtb-0nat", "rtb4": "rtb-0vpce", "sg-lambda": "sg-0lambda",
                 "sg-endpoint": "sg-0endpoint", "vpce-s3": "vpce-0s3gw", "vpce-ssm": "vpce-0ssm",
                 "subnet1": "subnet-01a", "subnet2": "subnet-02b", "subnet3": "subnet-03c", "subnet4": "subnet-04d"}
        return {self.ids[k]: v for k, v in names.items() if k in self.ids}


def build_seed(session, variant: str = "", copies: int = 1, region: str = "us-east-1") -> Built:
    """The seed VPC. ``variant``: "" | "bucket-policy" | "endpoint-sg". ``copies`` > 1 builds that
    many VPCs like it (10.N.0.0/16) with functions lambda-N-... (the 10x benchmark network)."""
    ec2 = session.client("ec2", region_name=region)
    iam = session.client("iam", region_name=region)
    lam = session.client("lambda", region_name=region)
    s3 = session.client("s3", region_name=region)
    ssm = session.client("ssm", region_name=region)
    b = Built()
    role = iam.create_role(RoleName="notes-lambda-role", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]
    iam.put_role_policy(RoleName="notes-lambda-role", PolicyName="notes-access",
                        PolicyDocument=json.dumps(ROLE_POLICY))
    # a customer managed policy as well (Lambda's VPC permissions), so GetPolicy/GetPolicyVersion run
    vpc_access = iam.create_policy(PolicyName="notes-lambda-vpc-access", PolicyDocument=json.dumps(VPC_ACCESS))
    iam.attach_role_policy(RoleName="notes-lambda-role", PolicyArn=vpc_access["Policy"]["Arn"])
    b.ids["role"] = role["Arn"]
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=b"hello")
    ssm.put_parameter(Name=PARAM, Value="v", Type="String")
    code = _zip()
    gw_ids = []
    for n in range(copies):
        sfx = "" if copies == 1 else f"-{n}"
        octet = 0 if copies == 1 else n
        vpc = ec2.create_vpc(CidrBlock=f"10.{octet}.0.0/16", TagSpecifications=_spec("vpc", f"notes-vpc{sfx}"))["Vpc"]
        vid = vpc["VpcId"]
        ec2.modify_vpc_attribute(VpcId=vid, EnableDnsSupport={"Value": True})
        ec2.modify_vpc_attribute(VpcId=vid, EnableDnsHostnames={"Value": True})
        subs = {}
        for i, (label, az) in enumerate((("(1) public", "a"), ("(2) private-nat", "a"),
                                          ("(3) isolated", "b"), ("(4) isolated-endpoints", "b")), start=1):
            s = ec2.create_subnet(VpcId=vid, CidrBlock=f"10.{octet}.{i}.0/24", AvailabilityZone=region + az,
                                  TagSpecifications=_spec("subnet", label))["Subnet"]
            subs[i] = s["SubnetId"]
        ec2.modify_subnet_attribute(SubnetId=subs[1], MapPublicIpOnLaunch={"Value": True})
        igw = ec2.create_internet_gateway(TagSpecifications=_spec("internet-gateway", "notes-igw"))["InternetGateway"]
        ec2.attach_internet_gateway(InternetGatewayId=igw["InternetGatewayId"], VpcId=vid)
        eip = ec2.allocate_address(Domain="vpc")
        nat = ec2.create_nat_gateway(SubnetId=subs[1], AllocationId=eip["AllocationId"],
                                     TagSpecifications=_spec("natgateway", "notes-nat"))["NatGateway"]
        main = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vid]},
                                                  {"Name": "association.main", "Values": ["true"]}])["RouteTables"][0]
        ec2.create_tags(Resources=[main["RouteTableId"]], Tags=_tag("isolated (main)"))
        rts = {}
        for i, name in ((1, "public"), (2, "private-nat"), (4, "endpoints")):
            rt = ec2.create_route_table(VpcId=vid, TagSpecifications=_spec("route-table", name))["RouteTable"]
            rts[i] = rt["RouteTableId"]
            ec2.associate_route_table(RouteTableId=rts[i], SubnetId=subs[i])
        ec2.associate_route_table(RouteTableId=main["RouteTableId"], SubnetId=subs[3])
        ec2.create_route(RouteTableId=rts[1], DestinationCidrBlock="0.0.0.0/0", GatewayId=igw["InternetGatewayId"])
        ec2.create_route(RouteTableId=rts[2], DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat["NatGatewayId"])
        lam_sg = ec2.create_security_group(GroupName="lambda", Description="functions; all outbound allowed",
                                           VpcId=vid)["GroupId"]  # a new group allows all outbound
        ep_sg = ec2.create_security_group(GroupName="ssm-endpoint", Description="HTTPS from the whole VPC",
                                          VpcId=vid)["GroupId"]
        cidr = f"10.{octet}.4.0/24" if variant == "endpoint-sg" else f"10.{octet}.0.0/16"
        ec2.authorize_security_group_ingress(GroupId=ep_sg, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": cidr}]}])
        gw = ec2.create_vpc_endpoint(VpcId=vid, ServiceName=f"com.amazonaws.{region}.s3", VpcEndpointType="Gateway",
                                     RouteTableIds=[rts[4]], TagSpecifications=_spec("vpc-endpoint", "s3-gateway"))["VpcEndpoint"]
        gw_ids.append(gw["VpcEndpointId"])
        ssm_ep = ec2.create_vpc_endpoint(VpcId=vid, ServiceName=f"com.amazonaws.{region}.ssm", VpcEndpointType="Interface",
                                         SubnetIds=[subs[4]], SecurityGroupIds=[ep_sg], PrivateDnsEnabled=True,
                                         TagSpecifications=_spec("vpc-endpoint", "ssm-interface"))["VpcEndpoint"]
        b.ids.update({f"vpc{sfx}": vid, f"igw{sfx}": igw["InternetGatewayId"], f"nat{sfx}": nat["NatGatewayId"],
                      f"rtb-main{sfx}": main["RouteTableId"], f"sg-lambda{sfx}": lam_sg, f"sg-endpoint{sfx}": ep_sg,
                      f"vpce-s3{sfx}": gw["VpcEndpointId"], f"vpce-ssm{sfx}": ssm_ep["VpcEndpointId"]})
        b.ids.update({f"subnet{i}{sfx}": s for i, s in subs.items()})
        b.ids.update({f"rtb{i}{sfx}": r for i, r in rts.items()})
        for i, name in ((1, "public"), (2, "nat"), (3, "isolated"), (4, "endpoints")):
            fname = f"lambda-{i}-{name}" + ("" if copies == 1 else f"-{n}")
            lam.create_function(FunctionName=fname, Runtime="python3.12", Role=role["Arn"], Handler="index.handler",
                                Code={"ZipFile": code}, Timeout=3,
                                VpcConfig={"SubnetIds": [subs[i]], "SecurityGroupIds": [lam_sg]})
            b.functions.append(fname)
    if variant == "bucket-policy":
        s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(bucket_policy(gw_ids[0])))
    return b


def bucket_policy(vpce_id: str) -> dict:
    """Deny object actions unless the request comes through the S3 gateway endpoint."""
    return {"Version": "2012-10-17", "Statement": [{
        "Sid": "Access-to-specific-VPCE-only", "Effect": "Deny", "Principal": "*",
        "Action": ["s3:GetObject", "s3:PutObject"],
        "Resource": f"arn:aws:s3:::{BUCKET}/*",
        "Condition": {"StringNotEquals": {"aws:SourceVpce": vpce_id}}}]}


def failed(net) -> list[str]:
    """The kinds a load could not read (leaving out the standing note that resource policies are
    read only for the buckets asked about)."""
    return [u.kind for u in net.unknowns if u.kind != "resource_policies"]


# ---- the other kinds of target: a table, a queue, a secret and a SecureString parameter ----------

TABLE = "notes-table"
QUEUE = "notes-queue"
SECRET = "notes/db-credentials"
SECURE_PARAM = "/vpc-notes/secure"
EXTRA_TARGETS = (f"dynamodb:{TABLE}", f"sqs:{QUEUE}", f"secretsmanager:{SECRET}", f"ssm:{SECURE_PARAM}")


def build_targets(session, region: str = "us-east-1", *, deny_table: bool = False) -> dict[str, str]:
    """A DynamoDB table with a resource policy, an SQS queue with a queue policy, a secret with a
    resource policy encrypted with a customer managed KMS key, and a SecureString parameter under
    that key; the seed's role gets a second inline policy naming them (so they are its default
    targets). Returns name -> ARN."""
    ddb = session.client("dynamodb", region_name=region)
    sqs = session.client("sqs", region_name=region)
    sm = session.client("secretsmanager", region_name=region)
    kms = session.client("kms", region_name=region)
    ssm = session.client("ssm", region_name=region)
    iam = session.client("iam", region_name=region)
    key = kms.create_key(Description="notes key")["KeyMetadata"]
    table = ddb.create_table(TableName=TABLE, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                             AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                             BillingMode="PAY_PER_REQUEST")["TableDescription"]["TableArn"]
    ddb.put_resource_policy(ResourceArn=table, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "OnlyFromTheVpc", "Effect": "Deny", "Principal": "*", "Action": "dynamodb:*", "Resource": table,
        "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-0123456789abcdef0"}}}]} if deny_table else {
        "Version": "2012-10-17", "Statement": [{"Sid": "ReadersInTheAccount", "Effect": "Allow",
                                                 "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                                                 "Action": "dynamodb:GetItem", "Resource": table}]}))
    url = sqs.create_queue(QueueName=QUEUE)["QueueUrl"]
    queue = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "SendersInTheAccount", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
        "Action": "sqs:SendMessage", "Resource": queue}]})})
    secret = sm.create_secret(Name=SECRET, SecretString="s3cr3t", KmsKeyId=key["Arn"])["ARN"]
    sm.put_resource_policy(SecretId=SECRET, ResourcePolicy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "ReadersInTheAccount", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
        "Action": "secretsmanager:GetSecretValue", "Resource": "*"}]}))
    ssm.put_parameter(Name=SECURE_PARAM, Value="v", Type="SecureString", KeyId=key["KeyId"])
    iam.put_role_policy(RoleName="notes-lambda-role", PolicyName="notes-targets", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"], "Resource": [table, table + "/index/*"]},
            {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": queue},
            {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
             "Resource": f"arn:aws:secretsmanager:{region}:123456789012:secret:{SECRET}-??????"},
            {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": key["Arn"]}]}))
    return {"table": table, "queue": queue, "secret": secret, "key": key["Arn"]}
