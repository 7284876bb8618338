"""Redaction for sharing: account ids (and so every ARN that carries one) replaced consistently.

Every string in the network is rewritten, policies included (their parsed statements and their
text alike), so a role ARN in a function, the role itself, a bucket policy's principal and an
error message all name the same stand-in account. The first account seen (the network's own)
becomes 111111111111, the next 222222222222, and so on; the mapping is the same for the same
input, so two exports of one account compare cleanly. Resource names and ids are kept: they are
what traces and targets refer to.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, Optional

from ..model.network import Network

# A 12-digit account id: any run of exactly 12 digits (letters around it do not hide it: an id glued
# into a tag value or a Sid, "Allow123456789012", is still the account id)...
_ACCOUNT = re.compile(r"(?<!\d)(\d{12})(?!\d)")
# ...except inside a resource id, whose hex part can hold 12 digits in a row by chance
# (subnet-0a123456789012b); an account already known is replaced even there.
_RESOURCE_ID = re.compile(r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)*-[0-9a-f]{8,17}\b")


def stand_in(n: int) -> str:
    """The n-th (1-based) stand-in account id."""
    return str(n) * 12 if n <= 9 else f"{n:012d}"


class Redactor:
    def __init__(self, own_account: str = ""):
        self.map: dict[str, str] = {}
        if own_account:
            self.account(own_account)

    def account(self, acct: str) -> str:
        if acct not in self.map:
            taken = set(self.map.values())
            n = len(self.map) + 1
            while stand_in(n) in taken:
                n += 1
            self.map[acct] = stand_in(n)
        return self.map[acct]

    def text(self, s: str) -> str:
        if not s or not any(c.isdigit() for c in s):
            return s
        # one pass: the accounts known so far anywhere, then any other 12-digit run outside ids
        if self.map:
            known = "|".join(re.escape(a) for a in self.map)
            s = re.sub(rf"(?<!\d)(?:{known})(?!\d)", lambda m: self.map[m.group(0)], s)
        ids = [m.span() for m in _RESOURCE_ID.finditer(s)] if "-" in s else []

        def sub(m: re.Match) -> str:
            a, b = m.span()
            if any(x <= a and b <= y for x, y in ids) or m.group(1) in self.map.values():
                return m.group(1)
            return self.account(m.group(1))

        return _ACCOUNT.sub(sub, s)

    def value(self, v: Any) -> Any:
        if isinstance(v, str):
            return self.text(v)
        if isinstance(v, tuple):
            return tuple(self.value(x) for x in v)
        if isinstance(v, list):
            return [self.value(x) for x in v]
        if isinstance(v, dict):
            return {self.value(k): self.value(x) for k, x in v.items()}
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            kwargs = {f.name: self.value(getattr(v, f.name)) for f in dataclasses.fields(v) if f.init}
            return type(v)(**kwargs)
        return v


def redact_network(network: Network, redactor: Optional[Redactor] = None) -> Network:
    """The same network with account ids replaced everywhere (ARNs, policies, messages)."""
    r = redactor or Redactor(network.account_id)
    out = r.value(network)
    name = out.name + (" (redacted)" if "(redacted)" not in out.name else "")
    return dataclasses.replace(out, name=name)
