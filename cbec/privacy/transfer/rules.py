"""The rule tables the route engine reads, as dated :mod:`cbec.ruledata` CSV files.

Thresholds, exempt purposes, the adequacy list and the SCC modules change by decree or by
Commission decision; keeping them as data with a validity window and a source on every row
lets a reviewer check each figure against its provision and lets a decision for a past date
use the rules of that date (``data/*.csv``, each file's header comment says where it comes
from). The turnover policy is kept apart from the law (``cn_transfer_policy.csv``): it is the
source paper's proposal, which a deployment can switch off.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from cbec import ruledata
from cbec.privacy.transfer.errors import NoRulesInForce
from cbec.ruledata import Row, RuleDataError

DATA = Path(__file__).resolve().parent / "data"
CN_RULES = DATA / "cn_transfer_rules.csv"
CN_POLICY = DATA / "cn_transfer_policy.csv"
EU_ADEQUACY = DATA / "eu_adequacy.csv"
EU_SCC = DATA / "eu_scc_modules.csv"
EU_STATES = DATA / "eu_eea_states.csv"
FILES = (CN_RULES, CN_POLICY, EU_ADEQUACY, EU_SCC, EU_STATES)


@dataclass(frozen=True)
class TransferRules:
    """All five tables, loaded and checked; ``turnover_policy`` overrides the policy file's
    ``enabled`` column when not None (a deployment's switch)."""

    cn: tuple[Row, ...]
    policy: tuple[Row, ...]
    adequacy: tuple[Row, ...]
    scc: tuple[Row, ...]
    states: tuple[Row, ...]
    turnover_policy: bool | None = None

    @classmethod
    def load(
        cls,
        cn: Path = CN_RULES,
        policy: Path = CN_POLICY,
        adequacy: Path = EU_ADEQUACY,
        scc: Path = EU_SCC,
        states: Path = EU_STATES,
        *,
        turnover_policy: bool | None = None,
    ) -> TransferRules:
        """Read the tables (a broken file raises :class:`cbec.ruledata.RuleDataError`, as
        does a threshold that is not a whole number of individuals)."""
        cn_rows = tuple(ruledata.load(cn, required=("id", "kind", "rule")))
        for row in cn_rows:
            if row["kind"] == "threshold" and not row.get("value").isdigit():
                raise RuleDataError(cn, row.line, "value", "a threshold must be a whole number")
        return cls(
            cn=cn_rows,
            policy=tuple(
                ruledata.load(
                    policy, required=("id", "rule", "value", "enabled"), decimals=("value",)
                )
            ),
            adequacy=tuple(ruledata.load(adequacy, required=("id", "country"))),
            scc=tuple(
                ruledata.load(scc, required=("id", "exporter_role", "importer_role", "module"))
            ),
            states=tuple(ruledata.load(states, required=("id", "country", "membership"))),
            turnover_policy=turnover_policy,
        )

    def with_turnover_policy(self, enabled: bool | None) -> TransferRules:
        """The same tables with the turnover policy forced on or off (None: as the file says)."""
        return replace(self, turnover_policy=enabled)

    # --- China ---------------------------------------------------------------------------

    def cn_row(self, on: date, rule: str) -> Row:
        """The single China row ``rule`` in force on ``on``; none means the provisions do not
        govern that day (they took effect 2024-03-22), which the engine must not paper over."""
        try:
            return ruledata.one(self.cn, on, f"China transfer rule {rule}", rule=rule)
        except LookupError as exc:
            raise NoRulesInForce("on", str(exc)) from None

    def threshold(self, on: date, rule: str) -> tuple[int, Row]:
        row = self.cn_row(on, rule)
        return int(Decimal(row["value"])), row

    def necessity_purposes(self, on: date) -> dict[str, Row]:
        """Purposes for which the transfer is exempt by necessity (Art. 5(1)-(3))."""
        return {r["rule"]: r for r in ruledata.in_force(self.cn, on, kind="purpose")}

    def obligations(self, on: date) -> list[Row]:
        """PIPL duties owed whatever the route (Arts. 39, 55, 56)."""
        return ruledata.in_force(self.cn, on, kind="obligation")

    def turnover_rule(self, on: date) -> Row | None:
        """The turnover policy row in force and switched on, else None."""
        found = ruledata.in_force(self.policy, on, rule="turnover_assessment")
        if len(found) > 1:
            raise NoRulesInForce("on", f"turnover policy on {on}: more than one row in force")
        if not found:
            return None
        row = found[0]
        enabled = (
            row.get("enabled").lower() == "true"
            if self.turnover_policy is None
            else self.turnover_policy
        )
        return row if enabled else None

    def counts_toward_thresholds(
        self, on: date, origin: str, carries_pi: bool, purpose: str, collected_abroad: bool
    ) -> bool:
        """Whether a transfer's individuals add to the exporter's yearly counts: PI sent from
        China, unless exempt whatever the volume (a necessity purpose, or collected abroad
        and sent back) and the policy row ``count_necessity_transfers`` is off."""
        if origin != "CN" or not carries_pi:
            return False
        found = ruledata.in_force(self.policy, on, rule="count_necessity_transfers")
        if found and found[0].get("enabled").lower() == "true":
            return True
        return not (collected_abroad or purpose in self.necessity_purposes(on))

    # --- EU ------------------------------------------------------------------------------

    def gdpr_state(self, on: date, country: str) -> Row | None:
        """The row saying the GDPR applies in ``country`` on ``on`` (an EU or EEA state then),
        or None."""
        found = ruledata.in_force(self.states, on, country=country)
        return found[0] if found else None

    def gdpr_states(self) -> frozenset[str]:
        """Every country where the GDPR applies or applied on some day."""
        return frozenset(r["country"] for r in self.states)

    def adequacy_row(self, on: date, country: str) -> Row | None:
        found = ruledata.in_force(self.adequacy, on, country=country)
        return found[0] if found else None

    def scc_row(self, on: date, exporter_role: str, importer_role: str) -> Row:
        try:
            return ruledata.one(
                self.scc,
                on,
                "SCC module",
                exporter_role=exporter_role,
                importer_role=importer_role,
            )
        except LookupError as exc:
            raise NoRulesInForce("on", str(exc)) from None


def shipped(*, turnover_policy: bool | None = None) -> TransferRules:
    """The tables shipped with cbec."""
    return TransferRules.load(turnover_policy=turnover_policy)
