"""The facts a complaint text may use: a plain dict of strings built from the Case and the Plan.

Templates see nothing else (`c.xxx` in templates/). The buyer's own words are cleaned only as
textcheck.py's one policy says; quotes count as the seller's words only when the clause before
them names the seller. Misconduct and threats are the plan's (storywords.py reads them once).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from ..casefile.case import DEMANDS, MISCONDUCT, MISCONDUCT_LABELS, QUALITY_PROBLEMS, Case
from ..decide.plan import Plan, Step
from ..decide.storywords import (
    MISCONDUCT_WORDS,
    mentions_any,
    misconduct_in,
    review_threat_in,
    threat_in,
)
from ..evidence.files import EvidenceName
from ..facts.hours import cn_date, cn_datetime
from ..facts.law import is_food, laws_for, refusals_said
from ..facts.tz import to_shanghai
from .textcheck import clean_block, clean_inline

# Which quoted lines count as the seller's words: the clause before the quote names the seller
# (or an abusive act) and is not the buyer speaking ("我说“…”").
SPEAKER_WORDS = ("商家", "卖家", "店家", "客服", "对方", "店主", "老板", "掌柜")
ABUSE_VERBS = ("辱骂", "骂", "威胁", "恐吓", "诅咒", "骚扰")
QUOTE_RE = re.compile(r"“([^“”]+)”|\"([^\"\n]+)\"|「([^「」]+)」")
CLAUSE_END = "。！？!?；;\n"
BUYER_SAYS = r"我(?:就|也|又|再|还)?(?:说|回|问|答|写|发|讲|告诉)"
SPEECH = r"说|回复|回|称|写|发来|表示|[：:]"
BUYER_TO_SELLER = "我(?:就|也|又|再|还)?(?:跟|对|和|给|向|问)(?:" + "|".join(SPEAKER_WORDS) + ")"


# ------------------------------------------------------------ facts for templates


def money(value: Decimal) -> str:
    return f"{value:.2f}"


def seller_quotes(text: str) -> list[tuple[str, str, tuple[int, int]]]:
    """Quoted lines ("…" “…” 「…」) in the buyer's text that the buyer attributes to the seller,
    each as (quote, the clause before it, (start, end) of the quote with its marks).

    A quote counts when the clause before it names the seller (商家说“…”) or an abusive act
    (骂我“…”), and not the buyer speaking (我跟商家说“…”). A quote right after an accepted
    one, introduced only by a speech verb (…“加微信”，还说“…”), continues the seller's words.
    """
    found: list[tuple[str, str, tuple[int, int]]] = []
    prev_end = 0
    prev_seller = False
    for m in QUOTE_RE.finditer(text):
        quote = next(g for g in m.groups() if g is not None)
        start = max(prev_end, max(text.rfind(c, 0, m.start()) + 1 for c in CLAUSE_END))
        continued = prev_seller and start == prev_end
        clause = text[start : m.start()][-40:]
        prev_end = m.end()
        prev_seller = False
        if not quote.strip():
            continue
        last = max((clause.rfind(w) for w in SPEAKER_WORDS), default=-1)
        if re.search(BUYER_TO_SELLER, clause) or re.search(BUYER_SAYS, clause[max(last, 0) :]):
            continue  # "我跟商家说“…”", "商家问，我说“…”": the buyer's own words
        named = last >= 0 or any(v in clause for v in ABUSE_VERBS)
        if not named and not (continued and len(clause) <= 12 and re.search(SPEECH, clause)):
            continue
        found.append((quote.strip(), clause, m.span()))
        prev_seller = True
    return found


def extract_quotes(text: str) -> list[str]:
    """The seller's quoted lines in the buyer's text (see `seller_quotes`)."""
    return [q for q, _clause, _span in seller_quotes(text)]


# The buyer chose one of these problems: every line the buyer quotes from the seller is the
# misconduct itself (an insult need not contain any word of ours).
DECLARED_SPEECH = ("seller_abuse", "seller_harassment")
SENTENCE_END = "。！？!?；;\n"
CLAUSE_MARKS = "，,、" + SENTENCE_END
ACCOUNT_MAX = 60
# Where the seller's words reached the buyer: the texts say "在平台聊天中" only when the buyer's
# account speaks of the chat and of no other way (a threat by phone is not a chat message).
CHAT_WORDS = ("聊天", "消息", "私信", "留言", "对话框")  # and each platform's (platforms.yaml said)
OTHER_CONTACT_WORDS = ("电话", "来电", "短信", "打给我", "上门", "微信", "QQ")


def contact_where(texts: list[str]) -> str:
    """ "在平台聊天中" when the buyer's texts place the contact in the platform chat only."""
    joined = "\n".join(texts)
    from ..facts.platforms import load_platforms

    said = [w for p in load_platforms().values() if p.said for w in p.said.chat]
    chat = any(w in joined for w in (*CHAT_WORDS, *said))
    other = any(w.lower() in joined.lower() for w in OTHER_CONTACT_WORDS)
    return (
        "在平台聊天中" if chat and not other else ""
    )  # a sentence longer than this is cut to the clauses that name the misconduct


def _names_kind(text: str, kinds: list[str], threat: bool) -> bool:
    if set(misconduct_in(text)) & set(kinds):
        return True
    return threat and threat_in(text)


def misconduct_quotes(text: str, kinds: list[str], threat: bool, declared: str = "") -> list[str]:
    """The seller's quoted lines that show the misconduct of `kinds` (the plan's): the quote or
    the words just before it name it (加微信“wx123”, 骂我“…”, “好评返现5元”), or the buyer chose
    abuse/harassment as the problem (`declared`), whose every quoted seller line is evidence."""
    out = []
    speech = declared in DECLARED_SPEECH or bool(set(kinds) & set(DECLARED_SPEECH))
    for quote, clause, _span in seller_quotes(text):
        lead = clause[-12:]
        if (
            declared in DECLARED_SPEECH
            or _names_kind(quote, kinds, threat)
            or _names_kind(lead, kinds, threat)
            or (speech and any(v in lead for v in ABUSE_VERBS))
        ):
            out.append(quote)
    return out


def _split_outside_quotes(text: str, marks: str) -> list[tuple[int, int]]:
    """(start, end) of the pieces of `text` between `marks` that are not inside quotes."""
    pieces = []
    depth = 0
    start = 0
    ascii_open = False
    for i, ch in enumerate(text):
        if ch in "“「":
            depth += 1
        elif ch in "”」" and depth:
            depth -= 1
        elif ch == '"':
            ascii_open = not ascii_open
        elif ch in marks and depth == 0 and not ascii_open:
            pieces.append((start, i))
            start = i + 1
    pieces.append((start, len(text)))
    return [(a, b) for a, b in pieces if text[a:b].strip()]


def misconduct_accounts(text: str, kinds: list[str], threat: bool, quoted: list[str]) -> list[str]:
    """The buyer's own account of misconduct the seller's quotes do not show: the sentence
    (or, in a long sentence, the clauses) naming the misconduct outside any quote. These are the
    buyer's words, never presented as the seller's. Sentences holding one of the `quoted`
    seller lines already shown are left out."""
    out: list[str] = []
    unquoted = QUOTE_RE.sub(lambda m: "“" + "　" * (len(m.group(0)) - 2) + "”", text)
    for a, b in _split_outside_quotes(text, SENTENCE_END):
        sentence, plain = text[a:b], unquoted[a:b]
        if not _names_kind(plain, kinds, threat):
            continue
        if any(q in sentence for q in quoted):
            continue
        quotes_inside = QUOTE_RE.search(sentence) is not None
        if len(sentence.strip()) <= ACCOUNT_MAX and not quotes_inside:
            out.append(sentence.strip())
            continue
        clauses = _split_outside_quotes(sentence, CLAUSE_MARKS)
        picked: list[tuple[int, int]] = []
        for i, (ca, cb) in enumerate(clauses):
            if _names_kind(plain[ca:cb], kinds, threat):
                picked.append((ca, cb))
            elif i + 1 < len(clauses):
                na, nb = clauses[i + 1]
                if _names_kind(plain[ca:nb], kinds, threat) and not _names_kind(
                    plain[na:nb], kinds, threat
                ):
                    picked.append((ca, nb))  # the words run over two clauses
        # neighbouring clauses are kept together as the buyer wrote them
        merged: list[list[int]] = []
        for ca, cb in picked:
            if merged and ca <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], cb)
            else:
                merged.append([ca, cb])
        for ca, cb in merged:
            piece = sentence[ca:cb].strip()
            if piece and piece not in out:
                out.append(piece)
    return out


def _problem_name(case: Case, threat: bool, kinds: list[str] | None = None) -> str:
    """The problem as the texts name it: a harassment case says 威胁 only when there is one; a
    review's deletion demanded under a threat is no 利诱 (the plan's kinds say so)."""
    if case.problem == "bribe_for_review" and kinds is not None and case.problem not in kinds:
        return "商家威胁我删改评价"
    if case.problem == "seller_harassment":
        return "商家" + "、".join(misconduct_labels([case.problem], threat))
    return case.problem_name


def misconduct_labels(kinds: list[str], threat: bool) -> list[str]:
    """How the texts name the misconduct ("辱骂、骚扰、威胁"): 威胁 only when there is one."""
    labels = [MISCONDUCT_LABELS[k] for k in kinds]
    if threat:
        at = kinds.index("seller_harassment") + 1 if "seller_harassment" in kinds else len(labels)
        labels.insert(at, "威胁")
    return labels


def _first_sentence(story: str) -> str:
    """The story's first sentence, whole (outside quotes), or "" when it is long."""
    depth = 0
    for i, ch in enumerate(story):
        if ch in "“「":
            depth += 1
        elif ch in "”」" and depth:
            depth -= 1
        elif depth == 0 and ch in "。！？!?\n":
            sentence = story[: i + 1].strip() if ch != "\n" else story[:i].strip()
            return sentence if len(sentence) <= 100 else ""
    return story if len(story) <= 100 else ""


def _company(platform: str) -> dict:
    from ..facts.channels import get_company

    company = get_company(platform)
    return {
        "name": company.name,
        "address": company.address,
        "city": company.city,
        "address_verified": company.address_verified and bool(company.address),
        "name_verified": company.name_verified,
    }


def book_title(name: str) -> str:
    """A law's name in title marks, its bracketed number after them:
    "X办法（总局令第121号）" → "《X办法》（总局令第121号）"."""
    m = re.fullmatch(r"《?([^（《》]+?)》?(（.*）)?", name.strip())
    if not m:
        return name
    return f"《{m.group(1)}》{m.group(2) or ''}"


def _regulator(now: dt.datetime) -> dict:
    """12315 time limits from channels.yaml (FACTS.md §6: 2019 measures until 2026-04-14)."""
    from ..facts.channels import load_data

    reg = load_data().regulator
    return {
        "new_rules": reg.new_rules(now.date()),
        "new_rules_from": cn_date(reg.new_rules_from),
        "new_rules_name": reg.new_rules_name,
        "new_rules_title": book_title(reg.new_rules_name),
        "accept_days": reg.accept.value,
        "accept_label": reg.accept.label,  # "依2019年暂行办法，以现行规定为准"
        "old_rules_label": reg.old_rules_label,
    }


def evidence_items(case: Case, files: list[str | EvidenceName] | None) -> list[dict]:
    """The evidence the texts list: each file of the case's evidence folder (`files`, names
    relative to it, in the folder's order) with the buyer's note from evidence_notes when there
    is one, then notes about things not in the folder. `files` None: the folder is not known,
    only the notes are listed. An entry the bundle does not read (evidence.check_access: a link
    out of the case folder, …) keeps its place, with the reason in "unread"."""
    notes = {clean_inline(k): clean_inline(v) for k, v in case.evidence_notes.items()}
    notes = {k: v for k, v in notes.items() if k}
    items: list[dict] = []
    used: set[str] = set()
    for entry in files or []:
        name = clean_inline(entry if isinstance(entry, str) else entry.name)
        if not name:
            continue
        base = name.rsplit("/", 1)[-1]
        key = name if name in notes else base if base in notes else None
        if key is not None:
            used.add(key)
        unread, link = ("", "") if isinstance(entry, str) else (entry.unread, entry.link)
        items.append(
            {
                "file": name,
                "note": notes.get(key, "") if key else "",
                "unread": unread,
                "link": clean_inline(link),
            }
        )
    items += [
        {"file": k, "note": v, "unread": "", "link": ""} for k, v in notes.items() if k not in used
    ]
    return items


def build_facts(
    case: Case,
    plan: Plan,
    channel,
    purpose: str,
    step: Step | None,
    evidence: list[str | EvidenceName] | None = None,
    bundled: bool = False,
) -> dict:
    """Everything a template may say, as plain strings and lists (never None).

    evidence: the file names in the case's evidence folder (None when the folder is not known);
    bundled: the text goes with the PDF evidence bundle (the list then points to it)."""
    now = to_shanghai(plan.now)
    story = clean_block(case.story)
    quotes: list[str] = []
    for text in [story, *(clean_inline(e.text) for e in case.timeline)]:
        for q in extract_quotes(text):
            q = clean_block(q)
            if q and q not in quotes:
                quotes.append(q)
    # seller misconduct and threats as the plan read them (storywords: one word list for both)
    kinds = list(plan.misconduct)
    threat = plan.threat
    # the misconduct report quotes only the lines that show it, and gives the buyer's own
    # account (marked as such) where the offending words are not in quotes
    m_quotes: list[str] = []
    for text in [story, *(clean_inline(e.text) for e in case.timeline)]:
        for q in misconduct_quotes(text, kinds, threat, case.problem):
            q = clean_block(q)
            if q and q not in m_quotes:
                m_quotes.append(q)
    accounts = [a for a in misconduct_accounts(story, kinds, threat, m_quotes) if a]
    window_over = plan.path == "expired"
    laws = laws_for(case, purpose, window_over)
    # the seller's usual refusals the buyer reports, answered as FACTS.md §4a does
    # said by the seller only when the buyer's sentence names the seller as the speaker; a
    # refusal from the platform's staff is put as theirs, one naming nobody gets the answer alone
    refusals = [
        {
            "key": r.key,
            "who": {"seller": "商家", "platform": "平台客服"}.get(who, ""),
            "topic": r.topic,
            "reason": r.reason,
            "answer": r.answer if who == "seller" else r.answer.replace("请商家说明", "请说明"),
            "short": r.short if who == "seller" else r.short.replace("请商家说明", "请说明"),
            "law": r.quality_only,
        }
        for r, who in refusals_said(case, [story, *(clean_inline(e.text) for e in case.timeline)])
    ]
    refusals_any = refusals_said(
        case, [story, *(clean_inline(e.text) for e in case.timeline)], goods=True
    )
    timeline = []
    for e in sorted(case.timeline, key=lambda e: e.at):  # Event.at is Beijing time (case.py)
        text = clean_inline(e.text)
        if text:
            timeline.append(
                {"when": cn_datetime(e.at, weekday=False), "text": text, "tried": e.tried}
            )
    misconduct_events = [
        t for t in timeline if any(mentions_any(t["text"], MISCONDUCT_WORDS[k]) for k in kinds)
    ]
    amount = case.order.amount
    contact = case.contact
    reach = step.reach if step and step.reach else channel.reach_for(case.app)
    reach_lines: list[str] = list(step.reach_lines) if step else []
    if channel.id == "c12315" and not (step and step.reach):
        # no 12315 step in the plan (a text asked for by name): work the number out here
        from ..decide.regulator import regulator_number

        number = regulator_number(case, now.date())
        reach, reach_lines = number.reach, list(number.lines)
    return {
        "platform": case.platform,
        "platform_name": case.platform_name,
        # platforms.yaml: who steps in for the platform ("淘宝小二"), the shop's prefix ("天猫")
        "staff": case.platform_data.staff.text,
        "shop_prefix": case.platform_data.shop_prefix,
        "order_id": clean_inline(case.order.id),
        "shop": clean_inline(case.order.shop),
        "item": clean_inline(case.order.item),
        "amount": money(amount),
        "ordered_on": cn_date(case.order.ordered_on),
        "signed_on": cn_date(case.signed_on),
        "delivery": case.delivery,
        "problem": case.problem,
        "problem_name": _problem_name(case, threat, kinds),
        "demand": case.demand,
        # goods already sent back: the buyer asks for the refund, not 仅退款 (issue 9)
        "demand_name": "退款"
        if case.goods_back and case.demand in ("refund", "return_refund")
        else "道歉并依规处理"
        if case.against_platform and case.demand == "apology_and_penalty"
        else DEMANDS[case.demand],
        "story": story,
        "story_first": _first_sentence(story),
        "quotes": quotes[:10],
        "misconduct_quotes": m_quotes[:10],
        # the seller's words read from screenshots and confirmed by the buyer (`scan`), exactly,
        # with file and time: 截图 03-聊天.png（11月20日 10:02）商家：“…”
        "screenshot_quotes": [q.cited() for q in case.confirmed_quotes][:10],
        "misconduct_accounts": accounts[:5],
        "timeline": timeline,
        "misconduct": misconduct_labels(kinds, threat),
        "misconduct_ids": kinds,
        # 辱骂、骚扰、威胁 (those the plan found): aimed at the buyer
        "misconduct_personal": misconduct_labels(
            [k for k in kinds if k in DECLARED_SPEECH], threat
        ),
        # misconduct besides the main problem (a quality case with an insulting seller)
        "misconduct_extra": misconduct_labels(
            [k for k in kinds if k != case.problem], threat and case.problem not in MISCONDUCT
        ),
        "misconduct_events": misconduct_events,
        "threat": threat,
        "contact_where": contact_where([story, *(t["text"] for t in timeline)]),
        "tried": list(case.tried),
        "refusals": refusals,
        # the seller's refusals the buyer reports, whatever the problem (the misconduct report
        # names what started it: "商家说只能换，不能退")
        "refusals_said": [r.reason for r, who in refusals_any if who == "seller"],
        "evidence": evidence_items(case, evidence),
        "evidence_bundled": bundled,
        "contact": {
            "name": clean_inline(contact.name),
            "phone": clean_inline(contact.phone),
            "address": clean_inline(contact.address),
        },
        "seller_city": clean_inline(case.seller_city),
        # the shop page's 经营者名称 / 经营地址 (optional; the 12315 texts ask for them when blank)
        "seller_name": clean_inline(case.seller_name),
        "seller_address": clean_inline(case.seller_address),
        "company": _company(case.platform),
        "regulator": _regulator(now),
        "laws": laws,
        "quality": case.problem in QUALITY_PROBLEMS,
        "food": is_food(case.order.item),
        # statutory damages by the price, per article (figures from law.py)
        "damages": {law.key: money(law.damages.amount(amount)) for law in laws if law.damages},
        "today": cn_date(now.date()),
        "channel_id": channel.id,
        "channel_name": channel.name,
        "reach": reach,
        "reach_lines": reach_lines,
        **real_case_facts(case),
        # 七天无理由 asked for after the seven days: a request to the seller's goodwill
        "no_reason_expired": case.problem == "no_reason_return" and window_over,
    }


def real_case_facts(case: Case) -> dict:
    """The deciding facts of the real cases (issue 9) as the texts state them."""
    from ..casefile.case import GOODS_KINDS, PROMISE_WHERE

    r = case.returned
    paid = case.paid_off_platform
    return {
        "app": case.app,
        "goods_back": case.goods_back,
        "returned": {
            "tracking": clean_inline(r.tracking) if r else "",
            "shipped_on": cn_date(r.shipped_on) if r and r.shipped_on else "",
            "received": "return_received" in case.tried,
        },
        "paid_off": {
            "amount": money(paid.amount),
            "how": clean_inline(paid.how),
            "on": cn_date(paid.on) if paid.on else "",
        }
        if paid
        else None,
        "promises": [
            {"text": clean_inline(p.text), "where": PROMISE_WHERE.get(p.where, "")}
            for p in case.promises
        ],
        "goods_kind": case.goods_kind,
        "goods_kind_name": GOODS_KINDS[case.goods_kind],
        "no_reason_excluded": case.no_reason_excluded,
        "against_platform": case.against_platform,
        "rejected_in_chat": case.rejected_in_chat,
        # a review's deletion demanded under a threat (FACTS.md §4a): said in every text
        "review_threat": review_threat_in(case.words),
    }


def user_strings(facts: dict) -> list[str]:
    """Every string in the facts that came from the buyer, and names that must stay exactly as
    they are (for the output check and the nesting rule)."""
    out = [
        facts["story"],
        facts["story_first"],
        facts["shop"],
        facts["item"],
        facts["order_id"],
        facts["seller_city"],
        facts["seller_name"],
        facts["seller_address"],
    ]
    out += facts["quotes"] + facts["misconduct_quotes"] + facts["misconduct_accounts"]
    out += facts["screenshot_quotes"]
    # the platform operator's legal name is written exactly as registered (brackets and all:
    # "某某（杭州）电子商务有限公司"), never reworded by the nesting rule
    out.append(facts["company"]["name"])
    out += [t["text"] for t in facts["timeline"]]
    out += [e["file"] for e in facts["evidence"]] + [e["note"] for e in facts["evidence"]]
    out += list(facts["contact"].values())
    out += [p["text"] for p in facts["promises"]] + [facts["returned"]["tracking"]]
    if facts["paid_off"]:
        out.append(facts["paid_off"]["how"])
    return [s for s in out if s]
