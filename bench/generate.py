"""Seeded generator of realistic govern initiative manifests for the benchmark.

    python bench/generate.py --count 10000 --seed 1 --out /tmp/govern-bench/10000

Each manifest is valid against schemas/initiative.schema.json and modelled on
policies/examples/base.yaml and examples/portfolio/*.yaml: every phase from
discovery to live plus retired, many departments, personal and special-category
data, sharing, processors in several countries, DPIAs in every state, pen tests
and accessibility audits of varied ages and 0-6 risks scored in the default
appetite's categories (aliases and the odd unknown category included, some in
breach, some accepted). Realistic gaps make the rules fire at realistic rates
(roughly 5-20 findings per manifest at --as-of 2026-11-22, the reference date
every generated date is relative to).

About 10% of files hold 2-3 initiatives (multi-document YAML). Files are
written into nested folders (department/team) so the folder walk is exercised.
metadata.id is unique across the corpus. Output is a pure function of
(count, seed): the same arguments give byte-identical files, and the corpus of
N manifests is a prefix of the corpus of M > N manifests with the same seed
(file k depends only on the seed and k).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import sys
from typing import Any

AS_OF = dt.date(2026, 11, 22)  # the date every generated date is relative to (bench/run.py passes it as --as-of)
DEFAULT_GAP = 2.0  # calibrated so that a manifest has about 5-20 findings (median about 10)
GENERATOR_VERSION = 1  # bump when the output changes, so cached corpora are regenerated

# (id prefix, folder, mail domain, organisation, board, teams)
DEPARTMENTS = [
    ("DWP", "dwp", "dwp.example.gov", "Department for Work and Pensions", "DWP Investment Committee",
     ["universal-credit", "pensions", "child-maintenance", "fraud-and-error"]),
    ("HMRC", "hmrc", "hmrc.example.gov", "HM Revenue and Customs", "HMRC Portfolio Board",
     ["self-assessment", "vat", "customs", "payroll"]),
    ("HO", "home-office", "homeoffice.example.gov", "Home Office", "Home Office Investment Board",
     ["borders", "immigration", "policing", "passports"]),
    ("MOJ", "moj", "justice.example.gov", "Ministry of Justice", "MoJ Portfolio Committee",
     ["courts", "prisons", "probation", "legal-aid"]),
    ("DFE", "dfe", "education.example.gov", "Department for Education", "DfE Investment Committee",
     ["schools", "skills", "childcare"]),
    ("DHSC", "dhsc", "dhsc.example.gov", "Department of Health and Social Care", "DHSC Digital Board",
     ["social-care", "public-health"]),
    ("NNT", "nhs-north-trust", "nhsnorth.example.gov", "NHS North Trust", "Trust Digital Board",
     ["workforce", "outpatients", "pathology", "estates"]),
    ("DVLA", "dvla", "dvla.example.gov", "Driver and Vehicle Licensing Agency", "DVLA Change Board",
     ["driver-licensing", "vehicle-tax"]),
    ("DEFRA", "defra", "defra.example.gov", "Department for Environment, Food and Rural Affairs",
     "Defra Investment Committee", ["farming", "flood-risk", "animal-health"]),
    ("MHCLG", "mhclg", "communities.example.gov", "Ministry of Housing, Communities and Local Government",
     "MHCLG Portfolio Board", ["housing", "local-government", "planning"]),
    ("LBX", "lbx", "lbx.example.gov", "London Borough of X", "Digital Investment Board",
     ["revenues", "benefits", "customer-services", "adult-social-care", "highways"]),
    ("NBC", "northvale", "northvale.example.gov", "Northvale Borough Council", "Corporate Change Board",
     ["parking", "waste", "licensing", "housing"]),
    ("SCC", "southshire", "southshire.example.gov", "Southshire County Council", "Southshire Change Board",
     ["schools-admissions", "libraries", "transport"]),
    ("ONS", "ons", "ons.example.gov", "Office for National Statistics", "ONS Investment Board",
     ["census", "surveys"]),
    ("CO", "cabinet-office", "cabinetoffice.example.gov", "Cabinet Office", "Cabinet Office Investment Board",
     ["digital-identity", "civil-service-hr", "commercial"]),
]

FIRST = ["Hannah", "Daniel", "Priya", "Tomasz", "Sarah", "Julian", "Beverley", "Fiona", "Gareth", "Nadia",
         "Colin", "Gwen", "Liam", "Anita", "Craig", "Frances", "Owen", "Graham", "Amira", "Kwame", "Siobhan",
         "Rhys", "Mei", "Arjun", "Eleanor", "Marcus", "Zainab", "Callum", "Ines", "Yusuf", "Harriet", "Tobias",
         "Aisha", "Declan", "Rosa", "Ifeoma", "Euan", "Lucy", "Mohammed", "Bethan"]
LAST = ["Okoro", "Reyes", "Raman", "Nowak", "Ahmed", "Marr", "Kaur", "McLeod", "Hughes", "Karim", "Barker",
        "Harris", "Doherty", "Shah", "Mullen", "Cole", "Price", "Whitfield", "Haddad", "Mensah", "Byrne",
        "Evans", "Chen", "Patel", "Wright", "Campbell", "Hussain", "Fraser", "Silva", "Aziz", "Lloyd",
        "Fischer", "Begum", "Gallagher", "Moreno", "Obi", "MacDonald", "Turner", "Iqbal", "Pritchard"]

PUBLIC_VERBS = ["Apply for", "Renew", "Report", "Check", "Book", "Pay for", "Register", "Change", "Claim",
                "Request", "Appeal against", "Cancel", "Update", "Get"]
PUBLIC_OBJECTS = ["a blue badge", "a residents' parking permit", "a school place", "free school meals",
                  "a fishing licence", "council tax reduction", "a housing repair", "a missed bin collection",
                  "a pothole", "a care needs assessment", "Pension Credit", "a driving licence",
                  "a vehicle tax refund", "a passport appointment", "a planning application", "a street party",
                  "a business rates relief", "a premises licence", "a bulky waste collection",
                  "a childcare account", "a flood grant", "a farming payment", "a library card",
                  "a court hearing date", "legal aid", "a student loan", "a marriage certificate",
                  "a tree preservation order", "a dropped kerb", "a Carer's Allowance payment"]
INTERNAL = ["case management system", "staff e-rostering", "data platform", "document management",
            "contact-centre telephony", "payments gateway", "identity verification service", "reporting hub",
            "fraud analytics", "records digitisation", "workflow automation", "GIS mapping service",
            "HR and payroll integration", "API gateway", "AI triage assistant", "knowledge base",
            "supplier portal", "inspection app", "evidence upload service", "legacy mainframe"]
ADJECTIVES = ["", "", "", "Digital ", "Integrated ", "Modern ", "Shared ", "Online ", "Next-generation "]

CATEGORIES = ["strategy", "governance", "operations", "legal", "property", "financial", "commercial",
              "people", "technology", "information", "security", "project-programme", "reputational"]
ALIASES = ["cyber", "data-and-information", "legal-and-compliance", "delivery"]
UNKNOWN_CATEGORIES = ["climate", "supply-chain", "political", "partnership"]
LEVEL = {"strategy": 12, "governance": 9, "operations": 9, "legal": 6, "property": 9, "financial": 9,
         "commercial": 12, "people": 12, "technology": 9, "information": 6, "security": 4,
         "project-programme": 12, "reputational": 9,
         "cyber": 4, "data-and-information": 6, "legal-and-compliance": 6, "delivery": 12}
RISK_TITLES = ["Supplier fails to deliver the integration on time", "Key staff leave during the migration",
               "Data quality problems delay the switch-over", "Account takeover used to claim for others",
               "Demand exceeds contact-centre capacity", "Legacy platform fails before decommissioning",
               "Budget overrun from change requests", "Ransomware attack on the hosting supplier",
               "Residents lose trust after a data incident", "Legal challenge to the eligibility rules",
               "Users with access needs cannot complete the service", "Benefits are not realised",
               "Inaccurate matching merges two people's records", "Unplanned downtime at peak season",
               "Third-party API changes break the service", "Policy change makes the design obsolete"]
MITIGATIONS = ["weekly supplier checkpoint", "knowledge transfer plan", "data cleansing sprint",
               "one-time passcode on sign-in", "call-back slots", "read-only mode", "change control board",
               "immutable backups", "incident communications plan", "legal review of the rules",
               "assisted digital route", "benefits tracking dashboard", "match-confidence threshold",
               "capacity testing before peak", "contract change notice period", "policy horizon scanning",
               "phishing-resistant MFA for staff", "nightly duplicate report"]
PROCESSORS = ["Civic Forms Ltd", "ParkRight Services Ltd", "RotaHealth Ltd", "Northgate Data Services",
              "Kinetic Cloud Ltd", "Granite Payments plc", "Signal Contact Ltd", "Beacon Analytics Ltd",
              "Harbour Print and Post", "Meridian Identity Ltd"]
FOREIGN = [("IE", "uk-adequacy-regulations"), ("DE", "uk-adequacy-regulations"), ("NL", "uk-adequacy-regulations"),
           ("US", "uk-adequacy-regulations"), ("US", "idta"), ("IN", "idta"), ("PH", "uk-addendum")]
SHARING = ["HM Revenue and Customs", "Department for Work and Pensions", "Electoral Registration Office",
           "Valuation Office Agency", "Local police force", "NHS England", "Ofsted", "DVLA (keeper enquiries)",
           "Traffic Penalty Tribunal", "Office for National Statistics", "Neighbouring council"]
HOSTS = [("example-cloud", "uk-south"), ("example-cloud", "uk-west"), ("Kinetic Cloud Ltd", "london-1")]
AUDITORS = ["Digital Accessibility Centre", "AbilityNet", "in-house accessibility team", "Shaw Trust"]
PHASES = ["discovery", "alpha", "beta", "live", "retired"]
PHASE_WEIGHTS = [12, 18, 25, 35, 10]
MIN_BYTES = 2048  # each manifest is 2-8 KB
ORDER = {"discovery": 0, "alpha": 1, "beta": 2, "live": 3, "retired": 3}


class Maker:
    """Builds one initiative from a seeded random source; ``p`` is the chance of each gap."""

    def __init__(self, rng: random.Random, serial: int, gap: float) -> None:  # gap: scale of every gap chance
        self.r = rng
        self.serial = serial
        self.gap = gap
        self.notes: list[str] = []

    # -- helpers ----------------------------------------------------------------------
    def chance(self, p: float) -> bool:
        return self.r.random() < p

    def flaw(self, p: float, note: str) -> bool:
        """A deliberate gap with probability p * gap scale; noted in the file's header comment."""
        if self.r.random() < min(0.9, p * self.gap):
            self.notes.append(note)
            return True
        return False

    def ago(self, lo: int, hi: int) -> dt.date:
        return AS_OF - dt.timedelta(days=self.r.randint(lo, hi))

    def ahead(self, lo: int, hi: int) -> dt.date:
        return AS_OF + dt.timedelta(days=self.r.randint(lo, hi))

    def person(self, domain: str) -> dict[str, str]:
        first, last = self.r.choice(FIRST), self.r.choice(LAST)
        return {"name": f"{first} {last}", "email": f"{first[0]}.{last}@{domain}".lower()}

    # -- the manifest -----------------------------------------------------------------
    def initiative(self, dept: tuple) -> dict[str, Any]:
        code, folder, domain, org, board, teams = dept
        team = self.r.choice(teams)
        phase = self.r.choices(PHASES, PHASE_WEIGHTS)[0]
        internal = self.chance(0.3)
        if internal:
            name = f"{self.r.choice(ADJECTIVES)}{self.r.choice(INTERNAL)}".strip()
            name = name[0].upper() + name[1:]
        else:
            name = f"{self.r.choice(PUBLIC_VERBS)} {self.r.choice(PUBLIC_OBJECTS)}"
        year = AS_OF.year - self.r.randint(0, 6) if phase != "retired" else AS_OF.year - self.r.randint(5, 15)
        since = self.ago(20, 720)
        pd = self.chance(0.75)
        people = {role: self.person(domain) for role in
                  ("senior_responsible_owner", "service_owner", "information_asset_owner", "security_lead",
                   "senior_information_risk_owner")}
        if self.chance(0.3):  # one person often holds two roles
            people["information_asset_owner"] = people["service_owner"]
        m: dict[str, Any] = {
            "apiVersion": "govern/v1",
            "kind": "Initiative",
            "metadata": {
                "id": f"{code}-{year}-{self.serial:05d}",
                "name": name,
                "department": f"{folder}-{team}",
                "phase": phase,
                "phase_since": since,
                "tags": self.r.sample([team, "digital", "transformation", "citizen-facing" if not internal
                                       else "internal", "cloud", "data", "case-work", "payments"],
                                      self.r.randint(1, 4)),
            },
        }
        if self.chance(0.4):
            m["metadata"]["description"] = (
                f"{org}: {name.lower()} for the {team.replace('-', ' ')} team, replacing paper forms and "
                f"manual re-keying with a single digital route.")
        m["accountability"] = self.accountability(phase, pd, people, domain, board, since)
        if phase != "discovery":
            m["governance"] = self.governance()
        m["service"] = self.service(phase, internal)
        m["data"] = self.data(phase, pd, domain)
        if pd:
            m["privacy"] = self.privacy(phase, m, since, domain)
        if phase != "discovery" or self.chance(0.4):
            m["security"] = self.security(phase, pd, m)
        channels = m["service"].get("channels", [])
        if "web" in channels or "mobile-app" in channels:
            m["accessibility"] = self.accessibility(phase)
        if ORDER[phase] >= 1 and phase != "retired":
            m["change"] = self.change()
            m["benefits"] = self.benefits(phase)
        risks = self.risks(people)
        if risks:
            m["risks"] = risks
        if phase != "discovery" or self.chance(0.5):
            m["budget"] = self.budget(phase)
        m["extensions"] = {}
        return m

    def accountability(self, phase, pd, people, domain, board, since) -> dict[str, Any]:
        a: dict[str, Any] = {}
        if not self.flaw(0.04, "no SRO (GOV-001)"):
            sro = dict(people["senior_responsible_owner"])
            if self.flaw(0.03, "SRO without email (GOV-001)"):
                del sro["email"]
            a["senior_responsible_owner"] = sro
        if phase == "discovery" and self.chance(0.5) or phase == "retired" and self.chance(0.6):
            pass
        elif not self.flaw(0.08, "no service owner (GOV-002)"):
            a["service_owner"] = people["service_owner"]
        if not self.flaw(0.06, "no IAO (GOV-003)"):
            a["information_asset_owner"] = people["information_asset_owner"]
        if phase not in ("discovery", "retired") and not self.flaw(0.12, "no security lead (GOV-004)"):
            a["security_lead"] = people["security_lead"]
        if pd and not self.flaw(0.06, "no SIRO (GOV-004)"):
            a["senior_information_risk_owner"] = people["senior_information_risk_owner"]
        if pd and self.chance(0.85):
            a["data_protection_officer"] = {"name": "Information Governance", "email": f"dpo@{domain}"}
        reached = [p for p in ("alpha", "beta", "live") if ORDER[p] <= ORDER[phase]]
        approvals = []
        for i, p in enumerate(reached):
            when = since if p == phase and phase != "retired" else since - dt.timedelta(days=200 * (len(reached) - i))
            decision = "approved"
            if p == phase and phase != "retired":
                if self.flaw(0.07, "current phase not approved (GOV-005)"):
                    continue
                if self.flaw(0.04, "current phase decision deferred (GOV-005)"):
                    decision = self.r.choice(["deferred", "rejected"])
            item = {"board": board, "date": when - dt.timedelta(days=self.r.randint(3, 20)), "decision": decision,
                    "phase": p}
            if self.chance(0.7):
                item["reference"] = f"{board.split()[0][:3].upper()}-{when.year}-{self.r.randint(1, 99):03d}"
            approvals.append(item)
        if approvals:
            a["approvals"] = approvals
        return a

    def governance(self) -> dict[str, Any]:
        rating = self.r.choices(["green", "amber-green", "amber", "amber-red", "red"], [30, 30, 25, 10, 5])[0]
        dca: dict[str, Any] = {"rating": rating, "assessed_on": self.ago(10, 150)}
        if rating in ("red", "amber-red"):
            dca["recovery_plan"] = None if self.flaw(0.5, "red rating without recovery plan (GOV-008)") \
                else f"RP-{self.r.randint(100, 999)}"
            if self.flaw(0.3, "red rating assessed long ago (GOV-008)"):
                dca["assessed_on"] = self.ago(200, 400)
        else:
            dca["recovery_plan"] = None
        return {"gmpp": self.chance(0.08), "delivery_confidence": dca}

    def service(self, phase, internal) -> dict[str, Any]:
        s: dict[str, Any] = {"public_facing": not internal}
        s["users"] = ["staff"] if internal else (["citizens", "staff"] if self.chance(0.5) else ["citizens"])
        if not internal and self.chance(0.2):
            s["users"].append("businesses")
        channels = ["web"] if self.chance(0.85) else ["api"]
        channels += self.r.sample(["phone", "post", "face-to-face", "email", "mobile-app"], self.r.randint(0, 2))
        s["channels"] = channels
        transactional = not internal and self.chance(0.8)
        s["transactional"] = transactional
        if transactional:
            s["transactions_per_year"] = self.r.choice([900, 4500, 12000, 38000, 150000, 2400000])
            s["assisted_digital"] = not self.flaw(0.06, "no assisted digital route (ACC-006)")
        if transactional and ORDER[phase] >= 2:
            assessments = [{"stage": "alpha", "date": self.ago(500, 900), "outcome": "met"}]
            if phase in ("live", "retired"):
                assessments.append({"stage": "beta", "date": self.ago(150, 450), "outcome": "met"})
            if self.flaw(0.06, "assessment for the previous phase not met (GOV-006)"):
                assessments[-1]["outcome"] = "not-met"
            for item in assessments:
                if self.chance(0.7):
                    item["reference"] = f"SA-{item['date'].year}-{self.r.randint(1, 40):02d}"
            s["assessments"] = assessments
        if ORDER[phase] >= 1 and phase != "retired":
            stale = self.flaw(0.25, "user research older than 6 months (GOV-012)")
            s["user_research"] = {"last_round_on": self.ago(200, 500) if stale else self.ago(5, 150),
                                  "included_access_needs": not self.flaw(0.1, "research without access needs")}
        return s

    def data(self, phase, pd, domain) -> dict[str, Any]:
        d: dict[str, Any] = {}
        roll = self.r.random()
        if roll < 0.02 * self.gap:
            d["classification"] = "SECRET"
            self.notes.append("SECRET data (DATA-002)")
        elif roll < 0.06 * self.gap:
            d["classification"] = "OFFICIAL-SENSITIVE"
            self.notes.append("OFFICIAL-SENSITIVE written as a tier (DATA-001)")
        elif not self.flaw(0.03, "no classification (DATA-001)"):
            d["classification"] = "OFFICIAL"
            if self.chance(0.4):
                d["marking"] = "SENSITIVE"
        d["personal_data"] = pd
        if pd:
            special = self.chance(0.25)
            d["special_category_data"] = special
            if special and not self.flaw(0.3, "special category data without an Art. 9 condition (PRIV-006)"):
                cond = self.r.choice(["9(2)(b)", "9(2)(g)", "9(2)(h)", "9(2)(a)"])
                c: dict[str, Any] = {"art9": cond}
                if cond != "9(2)(a)":
                    c["dpa2018_schedule1"] = self.r.choice(["Part 1 para 1", "Part 1 para 2", "Part 2 para 6"])
                if cond in ("9(2)(b)", "9(2)(g)") and not self.flaw(0.2, "no appropriate policy document (PRIV-006)"):
                    c["appropriate_policy_document"] = f"APD-{self.r.randint(10, 99)}"
                d["special_category_conditions"] = c
            criminal = self.chance(0.08)
            d["criminal_offence_data"] = criminal
            if criminal and not self.flaw(0.3, "criminal offence data without a condition (PRIV-007)"):
                d["criminal_offence_conditions"] = {"official_authority": True}
            if not self.flaw(0.04, "no lawful basis (PRIV-004)"):
                basis = self.r.choices(["public_task", "legal_obligation", "contract", "consent",
                                        "legitimate_interests"], [60, 15, 10, 8, 7])[0]
                d["lawful_basis"] = basis
                li = basis == "legitimate_interests"
                if li and not self.flaw(0.5, "legitimate interests unjustified (PRIV-005)"):
                    d["legitimate_interests_justification"] = (
                        "Processing supports a commercial service outside the body's public tasks")
            if not self.flaw(0.1, "no record of processing (DATA-006)"):
                d["ropa_reference"] = f"ROPA-{self.r.randint(1, 400):03d}"
        if not self.flaw(0.1, "not in the information asset register (DATA-007)"):
            d["information_asset_register"] = f"IAR-{self.r.randint(1, 2000):04d}"
        if not self.flaw(0.08, "no retention period (DATA-003)"):
            d["retention_months"] = self.r.choice([3, 12, 24, 36, 72, 84, 120])
        if not self.flaw(0.1, "no retention schedule (DATA-003)"):
            year, part, item = self.r.randint(2019, 2026), self.r.randint(1, 9), self.r.randint(1, 9)
            d["retention_schedule"] = f"Retention Schedule RS-{year} section {part}.{item}"
        d["residency"] = ["GB"] if self.chance(0.9) else self.r.choice([["GB", "IE"], ["UK"], ["GB", "DE"]])
        sharing = []
        for _ in range(self.r.choices([0, 1, 2, 3], [40, 35, 18, 7])[0]):
            item: dict[str, Any] = {"with": self.r.choice(SHARING)}
            if not self.flaw(0.1, "sharing without an agreement (DATA-004)"):
                item["agreement"] = f"ISA-{self.r.randint(2018, 2026)}-{self.r.randint(1, 99):03d}"
            if phase == "retired":
                item["ends_on"] = self.ago(10, 300) if not self.flaw(0.3, "retired sharing not ended (GOV-009)") \
                    else self.ahead(30, 300)
            sharing.append(item)
        if sharing:
            d["sharing"] = sharing
        if phase == "retired":
            if not self.flaw(0.3, "no disposal recorded (GOV-009)"):
                d["disposal"] = {"scheduled_on": self.ahead(30, 200),
                                 "schedule": d.get("retention_schedule", "RS-2024")}
        return d

    def privacy(self, phase, m, since, domain) -> dict[str, Any]:
        p: dict[str, Any] = {}
        if phase == "discovery":
            status = self.r.choice(["not-started", "in-progress"])
        elif self.flaw(0.08, "DPIA not completed (PRIV-001)"):
            status = self.r.choice(["in-progress", "not-started"])
        else:
            status = "completed"
        dpia: dict[str, Any] = {"status": status}
        if status == "completed":
            done = since + dt.timedelta(days=self.r.randint(5, 40))
            if done > AS_OF:
                done = AS_OF - dt.timedelta(days=1)
            if self.flaw(0.15, "DPIA review date passed (PRIV-003)"):
                done = self.ago(400, 700)
            dpia["completed_on"] = done
            leap_day = done.month == 2 and done.day == 29
            dpia["review_by"] = done + dt.timedelta(days=365) if leap_day else done.replace(year=done.year + 1)
            high = self.chance(0.05)
            dpia["residual_high_risk"] = high
            if high and not self.flaw(0.5, "high residual risk without ICO consultation (PRIV-011)"):
                dpia["ico_prior_consultation"] = {"date": done - dt.timedelta(days=30), "outcome": "no objection"}
        dpia["reference"] = f"DPIA-{self.r.randint(1, 900):03d}"
        if not self.flaw(0.1, "no DPIA screening (PRIV-002)"):
            screening: dict[str, Any] = {"art35_3": [], "wp248": self.r.sample(
                ["sensitive-data", "vulnerable-subjects", "large-scale", "matching-datasets"], self.r.randint(0, 2)),
                "ico_list": []}
            if self.chance(0.5):
                screening["updated_on"] = since - dt.timedelta(days=self.r.randint(1, 30))
            p["dpia"] = dict(dpia, screening=screening)
        else:
            p["dpia"] = dpia
        if ORDER[phase] >= 2 and not self.flaw(0.08, "no privacy notice (PRIV-008)"):
            p["privacy_notice_url"] = f"https://{domain}/{m['metadata']['id'].lower()}/privacy"
        p["dpo_consulted"] = not self.flaw(0.07, "DPO not consulted (PRIV-009)")
        processors = []
        transfers = []
        for _ in range(self.r.choices([0, 1, 2, 3], [25, 45, 22, 8])[0]):
            item = {"name": self.r.choice(PROCESSORS),
                    "contract": f"C-{self.r.randint(2019, 2026)}-{self.r.randint(1, 99):03d}",
                    "art28_terms": not self.flaw(0.05, "processor without Art. 28 terms"), "country": "GB"}
            if self.chance(0.15):
                country, mechanism = self.r.choice(FOREIGN)
                item["country"] = country
                t = {"to": country, "recipient": item["name"]}
                if not self.flaw(0.3, "transfer without a mechanism (PRIV-010)"):
                    t["mechanism"] = mechanism
                    t["reference"] = f"TRA-{self.r.randint(1, 99):02d}"
                transfers.append(t)
            processors.append(item)
        if transfers and not self.flaw(0.4, "foreign processor but transfers none (DATA-005)"):
            p["international_transfers"] = transfers
        else:
            p["international_transfers"] = "none"
        if processors:
            p["processors"] = processors
        return p

    def security(self, phase, pd, m) -> dict[str, Any]:
        kind = self.r.choices(["cloud", "on-premises", "third-party-managed"], [70, 15, 15])[0]
        if kind == "cloud":
            provider, region = self.r.choice(HOSTS)
        else:
            provider, region = m["metadata"]["department"] + " data centre", "primary site"
        hosting: dict[str, Any] = {"provider": provider, "region": region, "type": kind, "country": "GB"}
        if kind == "cloud":
            stale = self.flaw(0.2, "cloud principles assessment stale (SEC-008)")
            hosting["cloud_principles_assessed_on"] = self.ago(400, 900) if stale else self.ago(30, 300)
        s: dict[str, Any] = {"hosting": hosting}
        s["encryption"] = {"at_rest": not self.flaw(0.05, "no encryption at rest (SEC-001)"),
                           "in_transit": not self.flaw(0.02, "no encryption in transit (SEC-001)")}
        if self.chance(0.2):
            s["mfa"] = not self.flaw(0.05, "no MFA (SEC-002)")
        else:
            s["mfa"] = {"users": not self.flaw(0.1, "no MFA for users (SEC-002)"),
                        "admins": not self.flaw(0.06, "no MFA for admins (SEC-002)")}
        if ORDER[phase] >= 2:
            stale = self.flaw(0.2, "pen test older than 12 months (SEC-004)")
            months = self.r.randint(13, 30) if stale else self.r.randint(1, 11)
            pt: dict[str, Any] = {"completed_on": AS_OF - dt.timedelta(days=30 * months + self.r.randint(0, 20)),
                                  "tester": self.r.choice(["CHECK", "CREST"]),
                                  "open_critical": 1 if self.flaw(0.05, "open critical pen test finding (SEC-005)")
                                  else 0,
                                  "open_high": self.r.randint(1, 3)
                                  if self.flaw(0.1, "open high pen test findings (SEC-005)") else 0}
            if self.chance(0.6):
                pt["reference"] = f"ITHC-{pt['completed_on'].year}-{self.r.randint(1, 40):02d}"
            s["penetration_test"] = pt
            if self.chance(0.2):
                s["last_significant_change"] = pt["completed_on"] + dt.timedelta(days=self.r.randint(-300, 60))
                if s["last_significant_change"] > AS_OF:
                    s["last_significant_change"] = AS_OF - dt.timedelta(days=1)
        expired = self.flaw(0.1, "supplier certificate expired (SEC-003)")
        s["supplier_assurance"] = {"scheme": self.r.choice(["cyber-essentials", "cyber-essentials-plus"]),
                                   "certificate_expires": self.ago(5, 200) if expired else self.ahead(20, 360)}
        critical = self.chance(0.15)
        caf: dict[str, Any] = {"critical_system": critical}
        if critical:
            caf["profile"] = self.r.choice(["baseline", "enhanced"])
            caf["self_assessed_on"] = None if self.flaw(0.3, "critical system without CAF assessment (SEC-009)") \
                else self.ago(20, 300)
        s["caf"] = caf
        if self.chance(0.3):
            s["incident_response_plan"] = {"exists": not self.flaw(0.07, "no incident response plan (SEC-006)"),
                                           "reference": f"IRP-{self.r.randint(1, 60):02d}",
                                           "tested_on": self.ago(20, 400)}
        else:
            s["incident_response_plan"] = not self.flaw(0.07, "no incident response plan (SEC-006)")
        s["logging_monitoring"] = not self.flaw(0.05, "no security logging (SEC-007)")
        if m["data"].get("classification") == "SECRET" and self.chance(0.6):
            s["accreditation"] = f"ACC-S-{self.r.randint(2020, 2026)}-{self.r.randint(1, 99):03d}"
        return s

    def accessibility(self, phase) -> dict[str, Any]:
        a: dict[str, Any] = {}
        if self.flaw(0.2, "targets WCAG 2.1 AA (ACC-001)"):
            a["wcag_target"] = "2.1-AA"
        elif self.flaw(0.04, "targets WCAG 2.0 AA (ACC-001)"):
            a["wcag_target"] = "2.0-AA"
        else:
            a["wcag_target"] = "2.2-AA"
        if ORDER[phase] >= 2:
            stale = self.flaw(0.2, "accessibility audit older than 12 months (ACC-004)")
            audit = {"completed_on": self.ago(380, 800) if stale else self.ago(20, 330),
                     "outcome": self.r.choices(["fully-compliant", "partially-compliant", "not-compliant"],
                                               [45, 50, 5])[0]}
            if self.chance(0.7):
                audit["auditor"] = self.r.choice(AUDITORS)
            a["audit"] = audit
            if not self.flaw(0.08, "no accessibility statement (ACC-002)"):
                host = self.r.choice(["www", "services"])
                a["statement_url"] = f"https://{host}.example.gov/s{self.serial}/accessibility"
                reviewed = audit["completed_on"] + dt.timedelta(days=self.r.randint(3, 20))
                if self.flaw(0.15, "statement not reviewed for over a year (ACC-003)"):
                    reviewed = self.ago(400, 700)
                a["statement_reviewed_on"] = min(reviewed, AS_OF)
            if self.chance(0.05):
                claim: dict[str, Any] = {"assessed_on": self.ago(30, 300),
                                         "reference": f"DBA-{self.r.randint(1, 30):02d}",
                                         "parts": ["legacy PDF forms"]}
                if self.flaw(0.5, "burden claim incomplete (ACC-005)"):
                    del claim["reference"]
                a["disproportionate_burden"] = claim
            else:
                a["disproportionate_burden"] = None
        return a

    def change(self) -> dict[str, Any]:
        c: dict[str, Any] = {}
        if not self.flaw(0.12, "no training plan (GOV-011)"):
            c["training_plan"] = f"TP-{self.r.randint(2023, 2026)}-{self.r.randint(1, 30):02d}"
        if not self.flaw(0.1, "no staff engagement (GOV-011)"):
            c["engagement"] = self.r.choice(["Front-line staff co-designed the new process in alpha",
                                             "Team leaders joined fortnightly show-and-tells",
                                             "Union and staff networks consulted before beta"])
        return c

    def benefits(self, phase) -> dict[str, Any]:
        if self.flaw(0.08, "no success measures (GOV-010)"):
            return {"measures": []}
        measures = []
        choices = [("Applications completed online", "percent"), ("Average days to decision", "days"),
                   ("Cost per transaction", "GBP"), ("User satisfaction", "percent"),
                   ("Calls avoided per month", "calls")]
        for name, unit in self.r.sample(choices, self.r.randint(1, 3)):
            item: dict[str, Any] = {"name": name, "unit": unit, "baseline": self.r.randint(5, 60),
                                    "target": self.r.randint(61, 95), "by": self.ahead(60, 500)}
            if self.flaw(0.05, "success measure without a baseline (GOV-010)"):
                del item["baseline"]
            measures.append(item)
        return {"measures": measures}

    def risks(self, people) -> list[dict[str, Any]]:
        out = []
        for i in range(self.r.choices(range(7), [10, 15, 25, 22, 15, 8, 5])[0]):
            roll = self.r.random()
            if roll < 0.03 * self.gap:
                category = self.r.choice(UNKNOWN_CATEGORIES)
                self.notes.append(f"unknown risk category {category} (RISK-001)")
            elif roll < 0.15:
                category = self.r.choice(ALIASES)
            else:
                category = self.r.choice(CATEGORIES)
            owner_role = self.r.choice(["senior_responsible_owner", "service_owner", "information_asset_owner"])
            risk: dict[str, Any] = {"id": f"R{i + 1}", "title": self.r.choice(RISK_TITLES), "category": category}
            if not self.flaw(0.05, "risk without an owner (RISK-004)"):
                risk["owner"] = dict(people[owner_role])
            li, im = self.r.randint(2, 5), self.r.randint(2, 5)
            risk["inherent"] = {"likelihood": li, "impact": im}
            limit = LEVEL.get(category, 9)
            breach = self.flaw(0.12, f"risk R{i + 1} above appetite (RISK-002)")
            cap = {4: 3, 6: 4}.get(limit, 5)  # impact caps: averse 3, minimal 4
            if breach:
                capacity = self.flaw(0.1, f"risk R{i + 1} at capacity (RISK-008)")
                pairs = [(a, b) for a in range(1, 6) for b in range(1, 6)
                         if a * b > limit and b > 1 and (a * b >= 20) == capacity]
            else:
                pairs = [(a, b) for a in range(1, li + 1) for b in range(1, im + 1) if a * b <= limit and b <= cap]
            rl, ri = self.r.choice(pairs)
            if breach:
                risk["inherent"] = {"likelihood": max(li, rl), "impact": max(im, ri)}
            if self.flaw(0.04, f"risk R{i + 1} residual above inherent (RISK-003)"):
                rl, ri = li, min(5, im + 1)
            risk["residual"] = {"likelihood": rl, "impact": ri}
            if breach and not self.flaw(0.4, f"risk R{i + 1} breach without a treatment plan (RISK-006)"):
                risk["target"] = {"likelihood": 1, "impact": min(ri, 3), "by": self.ahead(60, 300)}
            risk["mitigations"] = self.r.sample(MITIGATIONS, self.r.randint(1, 3))
            overdue = self.flaw(0.12, f"risk R{i + 1} review overdue (RISK-005)")
            risk["review_by"] = self.ago(5, 200) if overdue else self.ahead(10, 200)
            if breach and self.chance(0.5):
                role = "senior_information_risk_owner" if self.chance(0.6) else "senior_responsible_owner"
                acceptor = people[role]
                if self.flaw(0.3, f"risk R{i + 1} accepted by its own owner (RISK-011)") and "owner" in risk:
                    acceptor = risk["owner"]
                accepted = self.ago(10, 150)
                expires = accepted + dt.timedelta(days=self.r.randint(60, 170))
                if self.flaw(0.2, f"risk R{i + 1} acceptance expired (RISK-011)"):
                    accepted = self.ago(250, 400)
                    expires = accepted + dt.timedelta(days=150)
                risk["escalation"] = {"accepted_by": dict(acceptor), "accepted_on": accepted, "expires": expires,
                                      "reference": f"RAC-{accepted.year}-{self.r.randint(1, 99):02d}"}
            out.append(risk)
        return out

    def budget(self, phase) -> dict[str, Any]:
        approved = ORDER[phase] >= 1 and not self.flaw(0.06, "budget not approved (GOV-007)")
        return {"currency": "GBP", "capex": self.r.randint(0, 400) * 5000, "opex": self.r.randint(10, 200) * 1000,
                "approved": approved}


# -- messy manifests (--messy RATE) ----------------------------------------------------
#
# Real portfolios break the schema: a team's first lint, a department adopting govern, a pack-version
# migration. A messy manifest is a clean one with 1-4 schema errors of the kinds people make, each
# injected at a field the manifest has, so govern reports each one as a GOV-SCHEMA error at its place.
# The choice comes from its own random source (seed, manifest serial), never the one that builds the
# manifest: a messy corpus holds the same initiatives as the clean one, file k of both corpora is built
# from the same draws, and a manifest that is messy at a rate is messy at every higher rate.

DEFAULT_MESSY = 0.6  # the rate bench/run.py uses for its second corpus
MESSY_KINDS = ("misspelt-key", "enum-wording", "date-format", "risk-description", "number-as-string")

# (parent path, key, misspellings): optional keys of objects that allow no other keys
MISSPELT = [
    (("metadata",), "phase_since", ["phase_start", "phase_sinse", "phaseSince"]),
    (("metadata",), "department", ["departmnet", "dept"]),
    (("metadata",), "tags", ["tag", "labels"]),
    (("accountability",), "senior_responsible_owner", ["senior_responsible_officer", "sro"]),
    (("accountability",), "service_owner", ["service_onwer", "serviceOwner"]),
    (("accountability",), "information_asset_owner", ["info_asset_owner", "iao"]),
    (("accountability",), "security_lead", ["security_leed", "securityLead"]),
    (("data",), "classification", ["clasification", "security_classification"]),
    (("data",), "lawful_basis", ["lawfull_basis", "legal_basis"]),
    (("data",), "retention_months", ["retention_period", "retention_month"]),
    (("security",), "penetration_test", ["pen_test", "pentest"]),
    (("security",), "logging_monitoring", ["logging_and_monitoring", "monitoring"]),
    (("accessibility",), "wcag_target", ["wcag_level", "wcag"]),
    (("accessibility",), "statement_url", ["statement_link", "accessibility_statement"]),
    (("risks", "*"), "mitigations", ["mitigation", "mitgations"]),
    (("risks", "*"), "review_by", ["review_date", "reviewBy"]),
    (("budget",), "capex", ["capital", "cap_ex"]),
    (("benefits", "measures", "*"), "baseline", ["base_line"]),
]
# (path, the schema's vocabulary): fields whose value must be one of a list
ENUMS = [
    (("metadata", "phase"), PHASES),
    (("accountability", "approvals", "*", "decision"), ["approved", "approved-with-conditions", "rejected", "deferred"]),
    (("accountability", "approvals", "*", "phase"), PHASES),
    (("governance", "delivery_confidence", "rating"), ["green", "amber-green", "amber", "amber-red", "red"]),
    (("service", "users", "*"), ["citizens", "businesses", "staff", "other-public-bodies"]),
    (("service", "channels", "*"), ["web", "mobile-app", "phone", "face-to-face", "post", "email", "api"]),
    (("data", "lawful_basis"), ["consent", "contract", "legal_obligation", "vital_interests", "public_task",
                                "legitimate_interests"]),
    (("privacy", "dpia", "status"), ["not-started", "in-progress", "completed", "not-required"]),
    (("security", "hosting", "type"), ["cloud", "on-premises", "third-party-managed"]),
    (("accessibility", "audit", "outcome"), ["fully-compliant", "partially-compliant", "not-compliant"]),
]
# the wording people use instead of a vocabulary's word (besides another case)
WORDING = {"live": ["in-service"], "beta": ["private beta", "public beta"], "retired": ["decommissioned"],
           "approved": ["approve"], "approved-with-conditions": ["approved with conditions", "conditional"], "amber-green": ["Amber/Green"],
           "amber-red": ["Amber/Red"], "public_task": ["public task", "public-task"], "completed": ["complete"],
           "not-required": ["N/A", "not required"], "in-progress": ["in progress", "ongoing"],
           "not-started": ["not started"], "cloud": ["public cloud"], "on-premises": ["on-prem"],
           "web": ["website"], "mobile-app": ["mobile app", "app"], "citizens": ["public", "residents"],
           "partially-compliant": ["partial", "Partially compliant"], "fully-compliant": ["compliant"]}
NUMBERS = [("service", "transactions_per_year"), ("data", "retention_months"),
           ("security", "penetration_test", "open_critical"), ("security", "penetration_test", "open_high"),
           ("security", "penetration_test", "open_medium"), ("budget", "capex"), ("budget", "opex"),
           *((("risks", "*", score, axis) for score in ("inherent", "residual", "target")
              for axis in ("likelihood", "impact")))]
# objects the schema allows in more than one shape (anyOf): an error inside one is an error of the whole
# object, worded from every shape; left alone, so that each error injected has one place
ALTERNATIVES = [("security", "supplier_assurance"), ("security", "incident_response_plan"),
                ("accessibility", "disproportionate_burden")]
RISK_DESCRIPTIONS = ["If the supplier slips, the old contract ends before the new service is ready.",
                     "Staff turnover in the delivery team is high and knowledge sits with two people.",
                     "The legacy data has duplicates and missing dates of birth.",
                     "Fraudsters may use stolen identities to claim for other people."]


def clone(value: Any) -> Any:
    """A copy sharing no dict or list (the generator reuses person dicts between roles)."""
    if isinstance(value, dict):
        return {k: clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clone(v) for v in value]
    return value


def nodes(value: Any, path: tuple = ()):
    """(path, value) of every node, depth first in document order."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from nodes(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from nodes(item, path + (index,))


def matches(path: tuple, pattern: tuple) -> bool:
    return len(path) == len(pattern) and all(p == q or (q == "*" and isinstance(p, int))
                                             for p, q in zip(path, pattern))


def pointer(path: tuple) -> str:
    return "".join(f"/{part}" for part in path)


def candidates(m: dict[str, Any]) -> list[tuple[str, tuple, Any]]:
    """Every (kind, path, detail) where a schema error can be injected into manifest m."""
    out: list[tuple[str, tuple, Any]] = []
    for path, value in nodes(m):
        if isinstance(value, dict):
            out += [("misspelt-key", path, (key, typos)) for parent, key, typos in MISSPELT
                    if key in value and matches(path, parent)]
        if isinstance(value, dt.date) and not any(path[:len(a)] == a for a in ALTERNATIVES):
            out.append(("date-format", path, None))
        if isinstance(value, str):
            out += [("enum-wording", path, None) for where, words in ENUMS
                    if matches(path, where) and value in words]
        if isinstance(value, int) and not isinstance(value, bool):
            out += [("number-as-string", path, None) for where in NUMBERS if matches(path, where)]
    out += [("risk-description", ("risks", i, "description"), None) for i in range(len(m.get("risks", [])))]
    return out


def misword(rng: random.Random, value: str) -> str:
    """The value in another case or wording: never one of the vocabulary's own words."""
    options = [value.capitalize(), value.upper(), value.replace("-", " ").replace("_", " "), *WORDING.get(value, [])]
    return rng.choice([o for o in options if o != value])


def inject(rng: random.Random, m: dict[str, Any], kind: str, path: tuple, detail: Any) -> dict[str, Any]:
    """Make one schema error at path; returns where govern should report it."""
    *head, last = path if kind != "misspelt-key" else (*path, None)  # a misspelt key's path is its object's
    parent = m
    for part in head:
        parent = parent[part]
    if kind == "misspelt-key":
        key, typos = detail
        typo = rng.choice(typos)
        renamed = {(typo if k == key else k): v for k, v in parent.items()}
        parent.clear()
        parent.update(renamed)
        return {"kind": kind, "pointer": pointer(path + (typo,)), "text": typo, "was": key}
    value = parent.get(last) if isinstance(parent, dict) else parent[last]
    if kind == "date-format":
        new: Any = value.strftime("%d/%m/%Y")
    elif kind == "enum-wording":
        new = misword(rng, value)
    elif kind == "number-as-string":
        new = f"£{value:,}" if path[0] == "budget" and rng.random() < 0.3 else str(value)
    else:  # risk-description
        new = rng.choice(RISK_DESCRIPTIONS)
        value = None
    parent[last] = new
    return {"kind": kind, "pointer": pointer(path), "text": str(new), "was": None if value is None else str(value)}


def make_messy(m: dict[str, Any], seed: int, serial: int, rate: float) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(manifest, injected errors): with probability rate, a copy of m with 1-4 schema errors, else m itself.

    Kinds are drawn evenly among those the manifest offers, then a place of that kind. No error hides
    another (a value inside a misspelt key is not checked) or merges with it (two unexpected keys in one
    object are one schema error), so govern reports each one on its own.
    """
    rng = random.Random(f"govern-bench/{GENERATOR_VERSION}/{seed}/messy/{serial}")
    if rng.random() >= rate:
        return m, []
    m = clone(m)
    wanted = rng.randint(1, 4)
    done: list[dict[str, Any]] = []
    taken: list[tuple] = []  # places changed: nothing above or below one is changed again
    extra: set[tuple] = set()  # objects given an unexpected key
    while len(done) < wanted:
        free = [c for c in candidates(m) if _free(c, taken, extra)]
        if not free:
            break
        kind = rng.choice(sorted({c[0] for c in free}))
        _, path, detail = rng.choice([c for c in free if c[0] == kind])
        done.append(inject(rng, m, kind, path, detail))
        key = done[-1]["text"] if kind == "misspelt-key" else None
        taken.append(path + (key,) if key else path)
        if kind in ("misspelt-key", "risk-description"):
            extra.add(path if kind == "misspelt-key" else path[:-1])
    return m, done


def _free(candidate: tuple[str, tuple, Any], taken: list[tuple], extra: set[tuple]) -> bool:
    kind, path, detail = candidate
    if kind == "misspelt-key":
        if path in extra:
            return False
        path = path + (detail[0],)
    elif kind == "risk-description" and path[:-1] in extra:
        return False
    return not any(path[:len(t)] == t or t[:len(path)] == path for t in taken)


# -- YAML text ------------------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._()'/&+@-]*")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


def scalar(value: Any, flow: bool) -> str:
    """One scalar in YAML: plain where that reads back as the same string, else double-quoted."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if re.fullmatch(r"[0-3][0-9]/[01][0-9]/[0-9]{4}", text):  # a messy date, written as people write it
        return text
    if (_PLAIN.fullmatch(text) and text.lower() not in _RESERVED and not text.endswith(" ")
            and " #" not in text) or (not flow and re.fullmatch(r"https://[A-Za-z0-9./_-]+", text)):
        return text
    return json.dumps(text, ensure_ascii=False)


def flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value, flow=True)


def simple(value: Any) -> bool:
    """Small enough to write on one line in flow style."""
    if isinstance(value, dict):
        return all(not isinstance(v, dict) or simple(v) for v in value.values()) and \
            all(not isinstance(v, list) or all(not isinstance(i, (dict, list)) for i in v) for v in value.values())
    if isinstance(value, list):
        return all(not isinstance(i, (dict, list)) for i in value)
    return True


def block(value: dict[str, Any], indent: int, out: list[str], width: int = 118) -> None:
    pad = " " * indent
    for key, v in value.items():
        if isinstance(v, dict) and v and not (simple(v) and len(pad) + len(key) + len(flow(v)) + 2 <= width):
            out.append(f"{pad}{key}:")
            block(v, indent + 2, out, width)
        elif isinstance(v, list) and v and any(isinstance(i, dict) for i in v):
            out.append(f"{pad}{key}:")
            for item in v:
                line = f"{pad}  - {flow(item)}"
                if simple(item) and len(line) <= width:
                    out.append(line)
                else:
                    sub: list[str] = []
                    block(item, indent + 4, sub, width)
                    out.append(f"{pad}  - {sub[0].lstrip()}")
                    out.extend(sub[1:])
        elif isinstance(v, (dict, list)):
            out.append(f"{pad}{key}: {flow(v)}")
        else:
            out.append(f"{pad}{key}: {scalar(v, flow=False)}")


def document(manifest: dict[str, Any], notes: list[str]) -> str:
    lines = [f"# {manifest['metadata']['name']} ({manifest['metadata']['phase']})."]
    if notes:
        text = "Deliberate gaps: " + "; ".join(notes) + "."
        while text:  # wrap the header comment at about 110 characters
            cut = len(text) if len(text) <= 108 else text.rfind(" ", 0, 108)
            lines.append("# " + text[:cut].strip())
            text = text[cut:].strip()
    block(manifest, 0, lines)
    return "\n".join(lines) + "\n"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48]


# -- the corpus -----------------------------------------------------------------------


def files(count: int, seed: int, gap: float = DEFAULT_GAP, messy: float = 0.0, errors: list | None = None):
    """(relative path, text, number of documents) for each file of a corpus of ``count`` manifests.

    With ``messy``, that fraction of manifests get schema errors (make_messy); each error injected is
    appended to ``errors`` (when given) with the file, document index and initiative id.
    """
    made = 0
    index = 0
    while made < count:
        rng = random.Random(f"govern-bench/{GENERATOR_VERSION}/{seed}/{index}")
        docs = 1 if rng.random() >= 0.10 else rng.choice([2, 2, 3])
        docs = min(docs, count - made)
        dept = rng.choice(DEPARTMENTS)
        ext = ".yml" if rng.random() < 0.05 else ".yaml"
        texts = []
        first = None
        pending: list[dict[str, Any]] = []
        for _ in range(docs):
            maker = Maker(rng, made + 1, gap)
            manifest = maker.initiative(dept)
            first = first or manifest
            text = document(manifest, maker.notes)
            if len(text) < MIN_BYTES:  # small (discovery) manifests: say what the initiative is
                manifest["metadata"].setdefault("description", (
                    f"Discovery into {manifest['metadata']['name'].lower()}: who needs it, how they do it today "
                    f"and whether a digital service would help. No build until the alpha is approved."))
                text = document(manifest, maker.notes)
            padding = ""
            while len(text) + len(padding) < MIN_BYTES:
                padding += f"# Open question for alpha: {rng.choice(RISK_TITLES).lower()}?\n"
            if messy > 0:
                broken, injected = make_messy(manifest, seed, made + 1, messy)
                if injected:
                    notes = maker.notes + [f"{e['kind']} at {e['pointer']} (GOV-SCHEMA)" for e in injected]
                    text = document(broken, notes)
                for error in injected:
                    error.update(document=len(texts), initiative=manifest["metadata"]["id"])
                pending += injected
            texts.append(text + padding)
            made += 1
        team = first["metadata"]["department"][len(dept[1]) + 1:]
        name = f"{index:05d}-{slug(first['metadata']['name'])}{ext}"
        header = f"# govern benchmark corpus (bench/generate.py, seed {seed}): {dept[3]}\n"
        if errors is not None:
            errors += [{"file": f"{dept[1]}/{team}/{name}", **e} for e in pending]
        yield f"{dept[1]}/{team}/{name}", header + "---\n".join(texts), docs
        index += 1


def generate(count: int, seed: int, out: str, gap: float = DEFAULT_GAP, messy: float = 0.0) -> dict[str, Any]:
    """Write the corpus under ``out`` (created if needed); returns a summary.

    A messy corpus also gets ``.bench-errors.json``: every schema error injected, with its file, document,
    initiative, kind and JSON Pointer (tests and bench/run.py read it; govern never does).
    """
    total_files = total_bytes = 0
    multi = 0
    errors: list[dict[str, Any]] = []
    for rel, text, docs in files(count, seed, gap, messy, errors):
        path = os.path.join(out, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = text.encode("utf-8")
        with open(path, "wb") as handle:
            handle.write(data)
        total_files += 1
        total_bytes += len(data)
        multi += docs > 1
    summary = {"generator_version": GENERATOR_VERSION, "seed": seed, "count": count, "gap": gap,
               "as_of": AS_OF.isoformat(), "files": total_files, "multi_document_files": multi, "bytes": total_bytes}
    if messy > 0:  # a clean corpus's summary stays as it was before --messy existed
        messy_docs = {(e["file"], e["document"]) for e in errors}
        summary.update(messy=messy, messy_manifests=len(messy_docs), schema_errors=len(errors),
                       schema_errors_by_kind={k: sum(e["kind"] == k for e in errors) for k in MESSY_KINDS})
        with open(os.path.join(out, ".bench-errors.json"), "w", encoding="utf-8") as handle:
            json.dump(errors, handle, indent=1, sort_keys=True)
            handle.write("\n")
    with open(os.path.join(out, ".bench-corpus.json"), "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=2, sort_keys=True)
        handle.write("\n")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, required=True, help="number of manifests (initiatives)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", required=True, help="output folder (created if needed)")
    parser.add_argument("--gap", type=float, default=DEFAULT_GAP,
                        help=f"scale every gap probability (default {DEFAULT_GAP})")
    parser.add_argument("--messy", type=float, default=0.0, metavar="RATE",
                        help=f"fraction of manifests given 1-4 schema errors (default 0; bench/run.py's messy "
                             f"corpus uses {DEFAULT_MESSY})")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    if not 0 <= args.messy <= 1:
        parser.error("--messy must be between 0 and 1")
    if os.path.isdir(args.out) and any(n.endswith((".yaml", ".yml")) for _, _, ns in os.walk(args.out) for n in ns):
        parser.error(f"{args.out} already holds YAML files; use an empty folder")
    summary = generate(args.count, args.seed, args.out, args.gap, args.messy)
    print(json.dumps(summary, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
