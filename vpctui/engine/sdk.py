"""The hostname the caller's SDK actually calls (docs/aws-behaviour.md SDK-1..SDK-5).

A function's scenario entry may name its SDK (``sdk:``) and its environment variables
(``environment:``); a live function's come from GetFunctionConfiguration. Without ``sdk:`` the
runtime's bundled SDK is assumed (Python: boto3; Node.js 18 and later: the AWS SDK for JavaScript v3;
Node.js 16 and older: v2); for other runtimes AWS's documented defaults. The answer says which
setting decided it, so the DNS hop can show why this name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..model.network import LambdaFunction
from ..model.services import AWS_DEFAULTS, SDK_DEFAULTS, SDK_TITLES, Service, bundled_sdk

@dataclass(frozen=True)
class SdkChoice:
    hostname: Optional[str]
    why: str  # which SDK and setting chose it, for the DNS hop
    setting: str = ""  # the environment variable or scenario key that decided it, if any


def _env(fn: LambdaFunction) -> dict[str, str]:
    return {k.upper(): str(v) for k, v in fn.environment}


def _truthy(v: Optional[str]) -> bool:
    return (v or "").strip().lower() == "true"


def _host_of(url: str) -> str:
    rest = url.split("://", 1)[-1]
    return rest.split("/", 1)[0].split(":", 1)[0].lower()


def choose(fn: LambdaFunction, svc: Service, region: str, bucket: str = "", account_id: str = "") -> SdkChoice:
    """The hostname ``fn``'s SDK calls for ``svc`` in ``region`` (S3: for ``bucket``), and why."""
    env = _env(fn)
    sdk = fn.sdk or bundled_sdk(fn.runtime)
    who = (f"{SDK_TITLES.get(sdk, sdk)} ({'the scenario says so' if fn.sdk else 'bundled with ' + fn.runtime})"
           if sdk else f"the function's SDK (not known{' for ' + fn.runtime if fn.runtime else ''}: AWS's documented defaults)")
    sts_default, s3_default = SDK_DEFAULTS.get(sdk or "", AWS_DEFAULTS)
    # endpoint_url: the service-specific setting, then the global one (SDK-5)
    for var in (svc.endpoint_url_env, "AWS_ENDPOINT_URL"):
        if var and env.get(var):
            return SdkChoice(_host_of(env[var]), f"{var} sets the endpoint URL ({env[var]})", var)
    dual = _truthy(env.get("AWS_USE_DUALSTACK_ENDPOINT"))
    fips = _truthy(env.get("AWS_USE_FIPS_ENDPOINT"))
    flag = "AWS_USE_FIPS_ENDPOINT" if fips else "AWS_USE_DUALSTACK_ENDPOINT" if dual else ""
    if svc.name == "s3":
        setting = env.get("AWS_S3_US_EAST_1_REGIONAL_ENDPOINT", "").lower()
        mode = setting if setting in ("regional", "legacy") else s3_default
        if fips and dual:
            base = f"s3-fips.dualstack.{region}.amazonaws.com"
        elif fips:
            base = f"s3-fips.{region}.amazonaws.com"
        elif dual:
            base = f"s3.dualstack.{region}.amazonaws.com"
        elif region == "us-east-1" and mode == "legacy":
            base = "s3.amazonaws.com"
        else:
            base = f"s3.{region}.amazonaws.com"
        host = f"{bucket}.{base}" if bucket and "." not in bucket else base
        if flag:
            why = f"{who} with {flag}=true"
        elif region == "us-east-1":
            why = (f"{who}: AWS_S3_US_EAST_1_REGIONAL_ENDPOINT={setting} decides S3's name in us-east-1" if setting
                   else f"{who} calls S3 in us-east-1 at the {'legacy global' if mode == 'legacy' else 'regional'} name "
                        "(AWS_S3_US_EAST_1_REGIONAL_ENDPOINT unset; SDK-1)")
        else:
            why = f"{who}: S3's regional name"
        if bucket and "." in bucket:
            why += "; a bucket name with dots is sent path-style"
        return SdkChoice(host, why, flag or ("AWS_S3_US_EAST_1_REGIONAL_ENDPOINT" if setting else ""))
    if svc.name == "sts":
        setting = fn.sts_regional_endpoints or env.get("AWS_STS_REGIONAL_ENDPOINTS", "").lower()
        mode = setting if setting in ("regional", "legacy") else sts_default
        if not flag and mode == "legacy":
            return SdkChoice("sts.amazonaws.com", f"{who} calls the global STS name "
                             f"({'AWS_STS_REGIONAL_ENDPOINTS=legacy' if setting else 'its default is legacy'}; SDK-2)",
                             "AWS_STS_REGIONAL_ENDPOINTS" if setting else "")
    if flag:
        tmpl = svc.fips_hostname if fips else svc.dualstack_hostname
        if tmpl:
            return SdkChoice(tmpl.format(region=region), f"{who} with {flag}=true (SDK-3)", flag)
    if svc.name == "ecr.dkr":
        return SdkChoice(f"{account_id}.dkr.ecr.{region}.amazonaws.com", f"{who}: the registry's name", "")
    if "*" in svc.hostname:
        return SdkChoice(None, f"{svc.title} is called at a name the target must give", "")
    why = f"{who}: the service's default regional name"
    if svc.name == "sts":
        why = f"{who} calls the regional STS name ({'AWS_STS_REGIONAL_ENDPOINTS=regional' if fn.sts_regional_endpoints or env.get('AWS_STS_REGIONAL_ENDPOINTS') else 'its default is regional'}; SDK-2)"
    return SdkChoice(svc.host(region), why, "")
