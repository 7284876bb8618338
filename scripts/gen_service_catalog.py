"""Generate vpctui/model/endpoint_services.json: the AWS services that offer VPC endpoints, with the
hostnames their SDKs call, from botocore's endpoint data.

    python scripts/gen_service_catalog.py          # rewrites the data file
    python scripts/gen_service_catalog.py --check  # exit 1 if the file is out of date

Where each fact comes from (docs/aws-behaviour.md, "The service catalog", says the same):
- Which services offer interface endpoints, and under which service name (com.amazonaws.REGION.NAME):
  the list below, from AWS PrivateLink's page "AWS services that integrate with AWS PrivateLink"
  (https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html). No SDK
  ships this list; `aws ec2 describe-vpc-endpoint-services` returns it for one account and Region.
- Which services offer gateway endpoints (s3, dynamodb): "Gateway endpoints"
  (https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html).
- The hostname an SDK calls by default, with dual-stack and with FIPS: botocore's endpoint rule sets
  (the data every AWS SDK generates its endpoint resolution from), evaluated here for a Region.
- The title: botocore's service model (serviceFullName); the service-specific endpoint setting
  AWS_ENDPOINT_URL_<SERVICE ID> from its serviceId
  (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
The runtime (vpctui.model.services) reads only the JSON file: the model never imports botocore.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "vpctui" / "model" / "endpoint_services.json"

# Interface-endpoint service names (the part after com.amazonaws.REGION.), from the AWS PrivateLink
# page named above. FIPS-only names ("...-fips") are listed too: an endpoint may use them.
INTERFACE = """
access-analyzer account airflow.api airflow.api-fips airflow.env airflow.env-fips airflow.ops
execute-api apigateway appmesh-envoy-management appmesh apprunner apprunner.requests appsync-api appconfig
appconfigdata application-autoscaling arsenal-discovery discovery mgn appstream.api
appstream.streaming athena auditmanager autoscaling autoscaling-plans b2bi backup backup-gateway
batch bedrock bedrock-fips bedrock-agent bedrock-agent-runtime bedrock-agentcore
bedrock-agentcore.gateway bedrock-runtime bedrock-runtime-fips bedrock-data-automation
bedrock-data-automation-fips bedrock-data-automation-runtime bedrock-data-automation-runtime-fips
billing tax billingconductor braket acm acm-fips cleanrooms cleanrooms-ml cloudcontrolapi
cloudcontrolapi-fips clouddirectory data-servicediscovery data-servicediscovery-fips
servicediscovery servicediscovery-fips cloudformation cloudhsmv2 cloudtrail applicationinsights
application-signals events evidently evidently-dataplane logs monitoring networkmonitor rum
rum-dataplane synthetics synthetics-fips codeartifact.api codeartifact.repositories codebuild
codebuild-fips codecatalyst.git codecatalyst.packages codecommit codecommit-fips codedeploy
codedeploy-commands-secure codeguru-profiler codeguru-reviewer codepipeline codestar-connections.api
codeconnections.api cognito-idp cognito-idp-fips cognito-identity cognito-identity-fips comprehend
comprehendmedical compute-optimizer config app-integrations cases connect-campaigns profile voiceid
wisdom controlcatalog ce cost-optimization-hub dataexchange datasync datazone dms dms-fips
deadline.management deadline.scheduling devops-guru ds ds-data dsql dynamodb dynamodb-fips
dynamodb-streams ebs ec2 ec2messages ecr.api ecr.dkr ecr-public.api ecs ecs-agent ecs-telemetry eks
eks-auth elasticbeanstalk elasticbeanstalk-health drs elasticfilesystem elasticfilesystem-fips
elastic-inference.runtime elasticloadbalancing elasticache elasticache-fips mediaconnect email-smtp
email email-fips elasticmapreduce emr-containers emr-serverless emr-serverless-services.livy
emr-serverless.dashboard emrwal.prod social-messaging entityresolution schemas fis finspace
finspace-api forecast forecastquery forecast-fips forecastquery-fips frauddetector fsx fsx-fips
git-codecommit git-codecommit-fips glue databrew glue.dashboard grafana grafana-workspace
groundstation guardduty guardduty-fips guardduty-data guardduty-data-fips medical-imaging
runtime-medical-imaging dicom-medical-imaging healthlake identitystore rolesanywhere imagebuilder
inspector2 inspector-scan internetmonitor internetmonitor-fips invoicing iot.data iot.credentials
deviceadvisor.iot iot.fleethub.api iotwireless.api iotfleetwise lorawan.cups lorawan.lns greengrass
iotroborunner iotsitewise.api iotsitewise.data iottwinmaker.api iottwinmaker.data kafka kafkaconnect
kafka-fips kendra cassandra cassandra-fips kinesis-streams kinesis-streams-fips kinesis-firehose kms
kms-fips lakeformation launchwizard lambda models-v2-lex runtime-v2-lex license-manager
license-manager-fips license-manager-linux-subscriptions license-manager-linux-subscriptions-fips
license-manager-user-subscriptions geo.geofencing geo.maps geo.metadata geo.places geo.routes
geo.tracking lookoutequipment lookoutmetrics lookoutvision mail-manager mail-manager-fips m2 apptest
macie2 console signin managedblockchain-query managedblockchain.bitcoin.mainnet
managedblockchain.bitcoin.testnet memory-db memorydb-fips migrationhub-orchestrator refactor-spaces
migrationhub-strategy mq neptune-graph neptune-graph-data neptune-graph-fips network-firewall
network-firewall-fips networkflowmonitor networkflowmonitorreports nimble observabilityadmin outposts
organizations organizations-fips analytics-omics control-storage-omics storage-omics tags-omics
workflows-omics panorama pcs pcs-fips payment-cryptography.controlplane
payment-cryptography.dataplane personalize personalize-events personalize-runtime pinpoint
pinpoint-sms-voice-v2 pipes pipes-data pipes-fips pricing.api bcm-pricing-calculator polly
private-networks acm-pca acm-pca-fips pca-connector-ad pca-connector-scep aps aps-workspaces proton q
codewhisperer qapps service.user-subscriptions qldb.session quicksight-website rds rds-data pi pi-fips
redshift redshift-fips redshift-data redshift-data-fips redshift-serverless redshift-serverless-fips
rekognition rekognition-fips streaming-rekognition streaming-rekognition-fips repostspace ram
resource-groups resource-groups-fips robomaker rbin s3 s3-outposts s3tables s3vectors sagemaker.api
sagemaker.api-fips sagemaker-data-science-assistant sagemaker.featurestore-runtime
sagemaker-geospatial sagemaker.metrics sagemaker.runtime sagemaker.runtime-fips secretsmanager
securityhub securitylake securitylake-fips servicecatalog servicecatalog-appregistry sms sms-fips
awsconnector serverlessrepo shield shield-fips simspaceweaver snow-device-management sns sqs sqs-fips
ssm ssm-fips ssmmessages ssm-contacts ssm-incidents ssm-quicksetup states sync-states storagegateway
sts sts-fips scn swf swf-fips tagging tnb textract textract-fips timestream-influxdb
timestream-influxdb-fips transcribe transcribestreaming transfer transfer.server translate
trustedadvisor wafv2 wafv2-fips wellarchitected workmail workspaces thinclient.api workspaces-web
workspaces-web-fips xray verifiedpermissions vpc-lattice
""".split()

GATEWAY = ("s3", "dynamodb")

# PrivateLink name -> botocore client name, where the endpoint prefix does not say it.
CLIENT = {
    "kinesis-streams": "kinesis", "kinesis-firehose": "firehose", "ecr.api": "ecr",
    "ecr-public.api": "ecr-public", "iot.data": "iot-data", "appstream.api": "appstream",
    "sagemaker.api": "sagemaker", "sagemaker.runtime": "sagemaker-runtime",
    "sagemaker.featurestore-runtime": "sagemaker-featurestore-runtime",
    "sagemaker.metrics": "sagemaker-metrics", "codeartifact.api": "codeartifact",
    "pricing.api": "pricing", "iotwireless.api": "iotwireless", "deviceadvisor.iot": "iotdeviceadvisor",
    "models-v2-lex": "lexv2-models", "runtime-v2-lex": "lexv2-runtime", "cassandra": "keyspaces",
    "memory-db": "memorydb", "iotsitewise.api": "iotsitewise", "iotsitewise.data": "iotsitewise",
    "iottwinmaker.api": "iottwinmaker", "iottwinmaker.data": "iottwinmaker",
    "qldb.session": "qldb-session", "email": "ses", "events": "events", "logs": "logs",
    "monitoring": "cloudwatch", "elasticloadbalancing": "elbv2", "elasticmapreduce": "emr",
    "cloudhsmv2": "cloudhsmv2", "streaming-rekognition": "rekognition",
    "payment-cryptography.controlplane": "payment-cryptography",
    "payment-cryptography.dataplane": "payment-cryptography-data", "codestar-connections.api": "codestar-connections",
    "codeconnections.api": "codeconnections", "bedrock-agentcore.gateway": "bedrock-agentcore-control",
    "application-signals": "application-signals", "aps-workspaces": "amp", "aps": "amp",
    "geo.maps": "geo-maps", "geo.places": "geo-places", "geo.routes": "geo-routes",
    "geo.geofencing": "location", "geo.metadata": "location", "geo.tracking": "location",
    "transfer.server": None, "thinclient.api": "workspaces-thin-client", "dicom-medical-imaging": None,
    "runtime-medical-imaging": "medical-imaging", "q": "qbusiness", "ds-data": "ds-data",
    "bcm-pricing-calculator": "bcm-pricing-calculator", "cost-optimization-hub": "cost-optimization-hub",
    "neptune-graph-data": "neptune-graph", "pipes-data": None, "dynamodb-streams": "dynamodbstreams",
    "ebs": "ebs", "pinpoint": "pinpoint", "vpc-lattice": "vpc-lattice",
}


def _endpoints(session, client_name: str, region: str):
    from botocore.config import Config

    out = []
    for cfg in (Config(), Config(use_dualstack_endpoint=True), Config(use_fips_endpoint=True)):
        try:
            c = session.create_client(client_name, region_name=region, config=cfg,
                                      aws_access_key_id="x", aws_secret_access_key="x")
            out.append(c.meta.endpoint_url.split("://", 1)[1].rstrip("/"))
        except Exception:  # a variant the service does not offer
            out.append(None)
    return out


def _template(host, region: str):
    return host.replace(region, "{region}") if host else None


def build() -> dict:
    import botocore
    import botocore.session

    session = botocore.session.get_session()
    names = session.get_available_services()
    by_prefix: dict[str, str] = {}
    titles: dict[str, str] = {}
    ids: dict[str, str] = {}
    for n in names:
        md = session.get_service_model(n).metadata
        by_prefix.setdefault(md.get("endpointPrefix", n), n)
        titles[n] = md.get("serviceFullName", n)
        ids[n] = md.get("serviceId", n)
    services = {}
    for pl in sorted(set(INTERFACE) | set(GATEWAY)):
        base = pl[:-5] if pl.endswith("-fips") else pl
        fips = base != pl
        client = CLIENT.get(base, "") if base in CLIENT else ""
        if client == "" or client is None:
            rev = ".".join(reversed(base.split("."))) if "." in base else base
            client = None if CLIENT.get(base, "") is None else (
                by_prefix.get(base) or by_prefix.get(rev) or (base if base in names else None))
        if client and client not in titles:  # a client name that this botocore does not ship
            client = by_prefix.get(base)
        entry = {"interface": pl in INTERFACE, "gateway": pl in GATEWAY}
        if client:
            tmpl = [_template(h, "us-west-2") for h in _endpoints(session, client, "us-west-2")]
            east = _endpoints(session, client, "us-east-1")
            host, dual, fips_host = tmpl
            if fips:
                host = fips_host
            entry.update(title=titles[client], botocore=client, hostname=host, dualstack_hostname=dual,
                         fips_hostname=fips_host, source="botocore",
                         # AWS_ENDPOINT_URL_<this> overrides the name (the SDKs' service-specific endpoint setting)
                         endpoint_url_env="AWS_ENDPOINT_URL_" + ids[client].upper().replace(" ", "_"))
            if east[0] and _template(east[0], "us-east-1") != tmpl[0] and not fips:
                entry["us_east_1_hostname"] = east[0]  # e.g. S3's legacy global name
        else:
            entry.update(title=base, hostname=f"{base}.{{region}}.amazonaws.com", source="convention")
        services[pl] = entry
    return {"generated_by": "scripts/gen_service_catalog.py", "botocore_version": botocore.__version__,
            "services": services}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    data = build()
    rows = ",\n".join(f" {json.dumps(k)}: {json.dumps(v, sort_keys=True)}" for k, v in sorted(data["services"].items()))
    text = (f'{{"generated_by": {json.dumps(data["generated_by"])}, "botocore_version": '
            f'{json.dumps(data["botocore_version"])},\n"services": {{\n{rows}\n}}}}\n')
    if args.check:
        old = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        same = json.loads(old or "{}").get("services") == data["services"]
        print("up to date" if same else f"{OUT} is out of date: run {sys.argv[0]}")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}: {len(data['services'])} services (botocore {data['botocore_version']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
