"""A claim's verdicts: the changes of its status, each with its date, reason and evidence.

`read_verdicts` reads a claim's `verdicts:` list and checks what one file can tell: each
change's status, date and one-line reason, the changes in date order, and each piece of
evidence a brief's name or a web address. Whether an evidence brief exists is checked
across files (in `validate`). `current_status` reconciles the claim's `status`
with its latest verdict.
"""

from __future__ import annotations

import datetime as dt

import yaml

from .config import address_problem
from .model import STATUS_MEANINGS, Evidence, Status, Verdict
from .yamlsrc import ID_PATTERN, Fields

VERDICT_FIELDS = ("status", "date", "reason", "evidence")
REASON_HINT = "reason: why the verdict is what it is, in one line"
EVIDENCE_HINT = ("write a brief's name (its file name without .md, e.g. "
                 "2025-03-19-port-retraction) or a web address starting with https://")
ORDER_HINT = "list a claim's verdicts oldest first, its current verdict last"


def read_verdicts(claim: Fields, claim_date: dt.date | None) -> tuple[Verdict, ...]:
    """The claim's verdicts as written, oldest first; those with a mistake are left out
    (their error is reported)."""
    verdicts: list[Verdict] = []
    for node in claim.sequence("verdicts", "verdict"):
        item = Fields.of(node, claim.path, claim.diags, "a verdict", VERDICT_FIELDS)
        if item is None:
            continue
        status = item.choice("status", [s.value for s in Status], required=True,
                             meanings=STATUS_MEANINGS)
        date = item.date("date", required=True)
        reason = _reason(item)
        evidence = _evidence(item)
        if date is not None:
            _check_date(item, date, verdicts, claim_date)
        if status and date and reason:
            verdicts.append(Verdict(Status(status), date, reason, item.span(), evidence))
    return tuple(verdicts)


def _reason(item: Fields) -> str | None:
    reason = item.text("reason", required=True, hint=REASON_HINT)
    if reason is not None and "\n" in reason:
        item.diags.error(item.span("reason"), "the 'reason' of a verdict must be one line",
                         "say why in one sentence; the evidence links say the rest")
        return None
    return reason


def _check_date(item: Fields, date: dt.date, before: list[Verdict],
                claim_date: dt.date | None) -> None:
    """An error when the change is dated before the one above it; a warning when it is
    dated before the claim itself."""
    if before and date < before[-1].date:
        above = before[-1]
        item.diags.error(item.span("date"), f"this verdict ({date}) is dated before the one "
                         f"above it ({above.date}, line {above.span.line})", ORDER_HINT)
    elif claim_date is not None and date < claim_date:
        item.diags.warning(item.span("date"), f"this verdict ({date}) is dated before the "
                           f"claim ({claim_date})", "check the 'date' of the verdict or of the "
                           "claim")


def _evidence(item: Fields) -> tuple[Evidence, ...]:
    """Each piece of evidence: one text or a list of texts, a brief's name or an address."""
    found = []
    node = item.values.get("evidence")
    nodes = node.value if isinstance(node, yaml.SequenceNode) else [node] if node else []
    for value_node in nodes:
        if not isinstance(value_node, yaml.ScalarNode) or not str(value_node.value).strip():
            item.diags.error(item.at(value_node), "each piece of 'evidence' must be a brief's "
                             "name or a web address", EVIDENCE_HINT)
            continue
        evidence = _one_evidence(item, str(value_node.value).strip(), value_node)
        if evidence is not None:
            found.append(evidence)
    return tuple(found)


def _one_evidence(item: Fields, value: str, node: yaml.Node) -> Evidence | None:
    span = item.at(node)
    if ID_PATTERN.match(value):
        return Evidence(span, brief=value)
    if value.startswith(("http://", "https://")):
        problem = address_problem(value)
        if problem is None:
            return Evidence(span, url=value)
        item.diags.error(span, problem, "write the address in full, e.g. "
                         "https://example.org/statement")
        return None
    stem = value.removesuffix(".md").removesuffix(".yaml").removeprefix("briefs/")
    if stem != value and ID_PATTERN.match(stem):
        hint = f"write the brief's name alone: '{stem}'"
    elif "." in value.split("/")[0] and " " not in value:
        hint = f"write it in full: 'https://{value}'"
    else:
        hint = EVIDENCE_HINT
    item.diags.error(span, f"'{value}' in 'evidence' is neither a brief's name nor a web "
                     "address", hint)
    return None



def current_status(claim: Fields, status: str | None,
                   verdicts: tuple[Verdict, ...]) -> Status:
    """The claim's status: its `status`, else its latest verdict's; an error when both are
    given and differ."""
    if not verdicts:
        return Status(status or Status.UNVERIFIED)
    latest = verdicts[-1]
    if status is not None and status != latest.status:
        claim.diags.error(claim.span("status"), f"the claim's status '{status}' is not its "
                          f"latest verdict '{latest.status}' ({latest.date}, line "
                          f"{latest.span.line})", f"write 'status: {latest.status}', or leave "
                          "'status' out: the latest verdict gives it")
    return latest.status
