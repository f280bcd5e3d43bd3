"""Web Services authorizations (which sender IDs may call for this company) and company users."""

from __future__ import annotations

from starlette.responses import Response

from ledgerbridge.sandbox.console.audit import record_event
from ledgerbridge.sandbox.console.records import STATUSES
from ledgerbridge.sandbox.console.web import Visit


def authorizations_page(visit: Visit) -> Response:
    rows = visit.store.execute(
        "SELECT s.senderid, s.status, a.companyid IS NOT NULL AS authorized FROM sender s "
        "LEFT JOIN sender_authorization a ON a.senderid = s.senderid AND a.companyid = ? ORDER BY s.senderid",
        (visit.companyid,),
    ).fetchall()
    senders = [{"senderid": r["senderid"], "status": r["status"], "authorized": bool(r["authorized"])} for r in rows]
    return visit.render("authorizations.html", senders=senders)


def save_authorization(visit: Visit) -> Response:
    senderid, action = visit.arg("senderid"), visit.arg("action")
    if visit.store.sender_hash(senderid) is None or action not in {"grant", "revoke"}:
        return visit.refuse(400, "Unknown sender", f"There is no Web Services sender ID '{senderid}'.",
                            back=visit.url("/authorizations"))
    authorized = visit.store.sender_authorized(senderid, visit.companyid)
    if authorized == (action == "grant"):
        return visit.redirect(visit.url("/authorizations", notice="No changes to save."))
    with visit.store.transaction():
        if action == "grant":
            visit.store.execute("INSERT INTO sender_authorization (senderid, companyid) VALUES (?, ?)",
                                (senderid, visit.companyid))
        else:
            visit.store.execute("DELETE FROM sender_authorization WHERE senderid = ? AND companyid = ?",
                                (senderid, visit.companyid))
        record_event(visit.store, visit.companyid, visit.userid, "WEBSERVICES", senderid,
                     "grant authorization" if action == "grant" else "revoke authorization",
                     {"authorized": "true" if authorized else "false"},
                     {"authorized": "true" if action == "grant" else "false"})
    verb = "authorized" if action == "grant" else "no longer authorized"
    return visit.redirect(visit.url("/authorizations",
                                    notice=f"Sender ID {senderid} is {verb} for company {visit.companyid}."))


def users_page(visit: Visit) -> Response:
    rows = visit.store.execute(
        "SELECT userid FROM user WHERE companyid = ? ORDER BY userid", (visit.companyid,)
    ).fetchall()
    users = [u for u in (visit.store.user(visit.companyid, r[0]) for r in rows) if u is not None]
    return visit.render("users.html", users=users)


def user_page(visit: Visit, problems: list[str] | None = None, status: int = 200) -> Response:
    userid = visit.request.path_params["userid"]
    subject = visit.store.user(visit.companyid, userid)
    if subject is None:
        return visit.refuse(404, "User not found", f"There is no user {userid}.", back=visit.url("/users"))
    return visit.render("user.html", status=status, subject=subject, problems=problems or [])


def save_user(visit: Visit) -> Response:
    userid = visit.request.path_params["userid"]
    subject = visit.store.user(visit.companyid, userid)
    if subject is None:
        return visit.refuse(404, "User not found", f"There is no user {userid}.", back=visit.url("/users"))
    admin = visit.arg("admin") in {"true", "on", "1"}
    status = visit.arg("status")
    problems = [] if status in STATUSES else ["Status must be active or inactive."]
    if subject.userid == visit.userid and (not admin or status != "active"):
        problems.append("You cannot remove your own administrator rights or deactivate yourself; "
                        "another administrator has to.")
    if problems:
        return user_page(visit, problems, status=422)
    before = {"admin": str(subject.admin).lower(), "status": subject.status}
    after = {"admin": str(admin).lower(), "status": status}
    if before == after:
        return visit.redirect(visit.url("/users", userid, notice="No changes to save."))
    changed = {k: before[k] for k in before if before[k] != after[k]}
    with visit.store.transaction():
        visit.store.execute("UPDATE user SET admin = ?, status = ? WHERE companyid = ? AND userid = ?",
                            (int(admin), status, visit.companyid, userid))
        record_event(visit.store, visit.companyid, visit.userid, "USERINFO", userid, "update", changed,
                     {k: after[k] for k in changed})
    return visit.redirect(visit.url("/users", userid, notice=f"User {userid} saved."))
