from tests.matrix import ACTORS, LEADERSHIP, Row, allow

EVERYONE_IN_SCHOOL = allow(
    only=["admin", "director", "deputy", "teacher", "class_teacher", "parent", "pupil"]
)
ADMIN_ONLY = allow(only=["admin"])
LEADERS = allow(only=LEADERSHIP)
NOT_FOUND = allow(default=404)
SIGNED_IN = [a for a in ACTORS if a != "anonymous"]
HIDDEN_LEADERS = allow(only=LEADERSHIP, default=404)
HIDDEN_ADMIN = allow(only=["admin"], default=404)
FAMILY_KEEPERS = allow(only=["admin", "class_teacher"], default=404)


def regulation_defaults() -> dict:
    """The «Положение об ЭЖ» form as a new school's rules fill it."""
    from datetime import time

    from accounts.regulation import Regulation
    from accounts.regulation_explained import RULE_FIELDS

    data = {}
    for name in RULE_FIELDS:
        value = Regulation._meta.get_field(name).get_default()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, time):
            data[name] = value.strftime("%H:%M")
        else:
            data[name] = "" if value is None else str(value)
    return data


def public(anonymous, signed_in, **overrides):
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, signed_in), **overrides}


ROWS = [
    Row("accounts:dashboard", "list", expect=EVERYONE_IN_SCHOOL),
    Row("accounts:regulation", "list", expect=LEADERS),
    Row("accounts:regulation_edit", "list", expect=ADMIN_ONLY),
    Row(
        "accounts:regulation_edit",
        "list",
        expect=allow(only=["admin"], ok=302),
        method="post",
        data=regulation_defaults(),
    ),
    Row(
        "accounts:regulation_preset",
        "list",
        expect=allow(only=["admin"], ok=302),
        method="post",
        data={"preset": "college"},
    ),
    Row("accounts:people", "list", expect=LEADERS),
    Row("accounts:person", "own", lambda w: {"pk": w.users["teacher"].pk}, LEADERS),
    Row(
        "accounts:person",
        "foreign",
        lambda w: {"pk": w.foreign_admin_user.pk},
        allow(dict.fromkeys(LEADERSHIP, 404)),
    ),
    Row(
        "accounts:grant_role",
        "own",
        lambda w: {"pk": w.users["teacher"].pk},
        allow(only=["admin"], ok=302),
        method="post",
        data={"role": "deputy"},
    ),
    Row(
        "accounts:grant_role",
        "foreign",
        lambda w: {"pk": w.foreign_admin_user.pk},
        allow({"admin": 404}),
        method="post",
        data={"role": "deputy"},
    ),
    Row(
        "accounts:end_role",
        "own",
        lambda w: {"pk": w.teacher_role.pk},
        allow(only=["admin"], ok=302),
        method="post",
    ),
    Row(
        "accounts:end_role",
        "foreign",
        lambda w: {"pk": w.foreign_admin_user.memberships.get().pk},
        allow({"admin": 404}),
        method="post",
    ),
    Row("accounts:pupils", "list", expect=LEADERS),
    Row("accounts:pupil_create", "list", expect=ADMIN_ONLY),
    Row(
        "accounts:pupil_create",
        "list",
        expect=allow(only=["admin"], ok=302),
        method="post",
        data={"last_name": "Новиков", "first_name": "Олег"},
    ),
    # The pupil's current class teacher reads this one record too (schedule registers it).
    # Anyone else is told the record does not exist (another class's pupil, for a class
    # teacher), as on every page about one pupil's family below.
    Row(
        "accounts:pupil",
        "own",
        lambda w: {"pk": w.own_pupil.pk},
        allow(only=[*LEADERSHIP, "class_teacher"], default=404),
    ),
    Row("accounts:pupil", "other", lambda w: {"pk": w.other_pupil.pk}, HIDDEN_LEADERS),
    Row("accounts:pupil", "foreign", lambda w: {"pk": w.foreign_pupil.pk}, NOT_FOUND),
    # The leadership and the pupil's class teacher keep the record current.
    Row(
        "accounts:pupil_edit",
        "own",
        lambda w: {"pk": w.own_pupil.pk},
        allow(only=[*LEADERSHIP, "class_teacher"], default=404),
    ),
    Row("accounts:pupil_edit", "other", lambda w: {"pk": w.other_pupil.pk}, HIDDEN_LEADERS),
    # A parent's contacts, through their child: the leadership and the child's class teacher.
    Row(
        "accounts:parent_contacts",
        "own",
        lambda w: {"pk": w.own_pupil.pk, "parent_pk": w.users["parent"].pk},
        allow(only=[*LEADERSHIP, "class_teacher"], default=404),
    ),
    Row(
        "accounts:parent_contacts",
        "own",
        lambda w: {"pk": w.own_pupil.pk, "parent_pk": w.users["parent"].pk},
        allow(only=[*LEADERSHIP, "class_teacher"], ok=302, default=404),
        method="post",
        data={"phone": "+7 900 000-00-09", "email": ""},
    ),
    Row(
        "accounts:parent_contacts",
        "other",
        lambda w: {"pk": w.other_pupil.pk, "parent_pk": w.users["other_parent"].pk},
        HIDDEN_LEADERS,
    ),
    # A parent who is not this pupil's: not found, whoever asks.
    Row(
        "accounts:parent_contacts",
        "mismatch",
        lambda w: {"pk": w.own_pupil.pk, "parent_pk": w.users["other_parent"].pk},
        NOT_FOUND,
    ),
    Row(
        "accounts:parent_contacts",
        "foreign",
        lambda w: {"pk": w.foreign_pupil.pk, "parent_pk": w.users["foreign_parent"].pk},
        NOT_FOUND,
    ),
    # Who reads the diary: the administrator and the pupil's class teacher end someone's
    # access and issue a code for one parent; anyone else is told there is no such pupil.
    Row("accounts:family_access", "own", lambda w: {"pk": w.own_pupil.pk}, FAMILY_KEEPERS),
    Row("accounts:family_access", "other", lambda w: {"pk": w.other_pupil.pk}, HIDDEN_ADMIN),
    Row("accounts:family_access", "foreign", lambda w: {"pk": w.foreign_pupil.pk}, NOT_FOUND),
    Row(
        "accounts:end_family_access",
        "own",
        lambda w: {"pk": w.own_pupil.pk},
        allow(only=["admin", "class_teacher"], ok=302, default=404),
        method="post",
        data=lambda w: {"whose": str(w.users["parent"].pk), "reason": "Решение суда"},
    ),
    Row(
        "accounts:end_family_access",
        "other",
        lambda w: {"pk": w.other_pupil.pk},
        allow(only=["admin"], ok=302, default=404),
        method="post",
        data=lambda w: {"whose": str(w.users["other_parent"].pk), "reason": "Решение суда"},
    ),
    Row(
        "accounts:end_family_access",
        "foreign",
        lambda w: {"pk": w.foreign_pupil.pk},
        NOT_FOUND,
        method="post",
        data=lambda w: {"whose": str(w.users["foreign_parent"].pk), "reason": "Решение суда"},
    ),
    Row(
        "accounts:family_code",
        "own",
        lambda w: {"pk": w.own_pupil.pk},
        FAMILY_KEEPERS,
        method="post",
        data={"role": "parent", "parent_kind": "father"},
    ),
    Row(
        "accounts:family_code",
        "other",
        lambda w: {"pk": w.other_pupil.pk},
        HIDDEN_ADMIN,
        method="post",
        data={"role": "parent", "parent_kind": "mother"},
    ),
    Row(
        "accounts:family_code",
        "foreign",
        lambda w: {"pk": w.foreign_pupil.pk},
        NOT_FOUND,
        method="post",
        data={"role": "parent"},
    ),
    Row(
        "accounts:consent_add",
        "own",
        lambda w: {"pk": w.own_pupil.pk},
        allow(only=[*LEADERSHIP, "class_teacher"], ok=302),
        method="post",
        data={"given_on": "2026-09-01", "given_by": "Иванова Мария Петровна"},
    ),
    Row(
        "accounts:consent_add",
        "other",
        lambda w: {"pk": w.other_pupil.pk},
        allow(only=LEADERSHIP, ok=302),
        method="post",
        data={"given_on": "2026-09-01", "given_by": "Иванова Мария Петровна"},
    ),
    Row(
        "accounts:consent_add",
        "own",
        lambda w: {"pk": w.own_pupil.pk},
        allow(only=[*LEADERSHIP, "class_teacher"]),
    ),
    Row("accounts:consent_add", "foreign", lambda w: {"pk": w.foreign_pupil.pk}, NOT_FOUND),
    Row(
        "accounts:consent_withdraw",
        "own",
        lambda w: {"pk": w.own_consent.pk},
        allow(only=[*LEADERSHIP, "class_teacher"], ok=302),
        method="post",
    ),
    Row(
        "accounts:consent_withdraw",
        "other",
        lambda w: {"pk": w.other_consent.pk},
        allow(only=LEADERSHIP, ok=302),
        method="post",
    ),
    Row(
        "accounts:consent_withdraw",
        "foreign",
        lambda w: {"pk": w.foreign_consent.pk},
        NOT_FOUND,
        method="post",
    ),
    Row(
        "accounts:consent_add",
        "foreign",
        lambda w: {"pk": w.foreign_pupil.pk},
        NOT_FOUND,
        method="post",
    ),
    Row("accounts:pupil_edit", "foreign", lambda w: {"pk": w.foreign_pupil.pk}, NOT_FOUND),
    Row("accounts:staff_codes", "list", expect=ADMIN_ONLY),
    Row("accounts:staff_codes", "list", expect=ADMIN_ONLY, method="post", data={"role": "teacher"}),
    Row(
        "accounts:revoke_code",
        "own",
        lambda w: {"pk": w.staff_code.pk},
        allow(only=["admin"], ok=302),
        method="post",
    ),
    Row(
        "accounts:revoke_code",
        "foreign",
        lambda w: {"pk": w.foreign_code.pk},
        allow({"admin": 404}),
        method="post",
    ),
    # A class's parent code is not a staff code: the staff page does not reach it.
    Row(
        "accounts:revoke_code",
        "other",
        lambda w: {"pk": w.own_class_code.pk},
        allow({"admin": 404}),
        method="post",
    ),
    Row("accounts:settings", "list", expect=ADMIN_ONLY),
    Row("accounts:logins", "list", expect=ADMIN_ONLY),
    Row("accounts:access_log", "list", expect=ADMIN_ONLY),
    Row("accounts:access_log", "list", expect=ADMIN_ONLY, data={"q": "Свой", "action": "view"}),
    # The same school pages under the other school's address (the other branch): only its
    # own people get in, and the organisation's deputy, who reads both branches.
    Row(
        "accounts:dashboard",
        "foreign",
        school="other_school",
        expect={**NOT_FOUND, "foreign_admin": 200, "foreign_parent": 200, "org_deputy": 200},
    ),
    Row(
        "accounts:people",
        "foreign",
        school="other_school",
        expect={**NOT_FOUND, "foreign_admin": 200, "foreign_parent": 403, "org_deputy": 200},
    ),
    # Pages of one's own account, outside any school.
    Row("account:home", "list", public=True, expect=public(302, 302, outsider=200)),
    Row("account:profile", "list", public=True, expect=public(302, 200)),
    Row("account:my_logins", "list", public=True, expect=public(302, 200)),
    # A stale or foreign link only says so (a message) and leads back to the profile.
    Row("account:confirm_email", "list", public=True, expect=public(302, 302)),
    Row(
        "account:profile",
        "list",
        public=True,
        method="post",
        data={"phone": "+7 900 111-22-33"},
        expect=public(302, 302),
    ),
    Row("account:end_sessions", "list", public=True, method="post", expect=public(302, 302)),
    Row("account:redeem", "list", public=True, expect=public(200, 200)),
    Row("account:redeem_confirm", "list", public=True, expect=public(302, 302)),
    Row("login", "list", public=True, expect=public(200, 302)),
    Row("logout", "list", public=True, method="post", expect=public(302, 302)),
    Row("password_change", "list", public=True, expect=public(302, 200)),
    Row("password_change_done", "list", public=True, expect=public(302, 200)),
    Row("password_reset", "list", public=True, expect=public(200, 200)),
    Row("password_reset_done", "list", public=True, expect=public(200, 200)),
    Row(
        "password_reset_confirm",
        "list",
        lambda w: {"uidb64": "MQ", "token": "bad-token"},
        public=True,
        expect=public(200, 200),
    ),
    Row("password_reset_complete", "list", public=True, expect=public(200, 200)),
]
