"""Keep guardian object permissions in step with the roles that grant them; record sign-ins."""

from axes.signals import user_locked_out  # noqa: F401  (axes wires its own handlers)
from axes.utils import reset as axes_reset
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from guardian.shortcuts import assign_perm

from . import login_history
from .middleware import SessionLifetimeMiddleware
from .models import (
    FAMILY_ROLES,
    Membership,
    Organisation,
    OrganisationMembership,
    ParentLink,
    Pupil,
    Regulation,
    School,
    User,
)
from .security import count_device_failure, signs_in_from_trusted_device
from .services import announce_role_end, end_family_role, role_ended, sweep_pupil_grants
from .tenancy import (
    forget_organisation,
    forget_organisation_roles,
    forget_roles,
    forget_school,
)

VIEW_PUPIL = "accounts.view_pupil"


@receiver(post_save, sender=School)
@receiver(post_delete, sender=School)
def drop_cached_school(sender, instance, **kwargs):
    forget_school(instance)


@receiver(post_save, sender=School)
def give_new_school_its_regulation(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        Regulation.for_new_school(instance).save()


@receiver(post_save, sender=Regulation)
def drop_cached_school_of_regulation(sender, instance, **kwargs):
    # The school is cached with its regulation (accounts.tenancy).
    forget_school(instance.school)


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def drop_cached_roles(sender, instance, **kwargs):
    forget_roles(instance.user_id, instance.school_id)


@receiver(pre_save, sender=Membership)
def remember_whether_active(sender, instance, raw=False, **kwargs):
    instance._was_active = (
        not raw
        and instance.pk is not None
        and Membership.objects.with_scopes_disabled()
        .filter(pk=instance.pk, ended_at__isnull=True)
        .exists()
    )


@receiver(post_save, sender=Membership)
def take_back_when_ended(sender, instance, raw=False, **kwargs):
    # However a role ends — end_role, or the ended date set in the admin — what it gave ends.
    if not raw and instance.ended_at is not None and getattr(instance, "_was_active", False):
        announce_role_end(instance)


@receiver(post_delete, sender=Membership)
def take_back_when_deleted(sender, instance, **kwargs):
    if instance.ended_at is None:
        announce_role_end(instance)


@receiver(role_ended)
def take_back_family_links(sender, membership, **kwargs):
    if membership.role in FAMILY_ROLES:
        end_family_role(membership)


@receiver(post_save, sender=ParentLink)
def grant_parent(sender, instance, **kwargs):
    assign_perm(VIEW_PUPIL, instance.parent, instance.pupil)


@receiver(post_delete, sender=ParentLink)
def revoke_parent(sender, instance, **kwargs):
    # Not remove_perm: the same grant may also be backed otherwise (the pupil's own account).
    sweep_pupil_grants(instance.parent_id, instance.school_id)


@receiver(pre_save, sender=Pupil)
def remember_previous_user(sender, instance, **kwargs):
    if instance.pk:
        instance._previous_user_id = (
            Pupil.objects.with_scopes_disabled()
            .filter(pk=instance.pk)
            .values_list("user_id", flat=True)
            .first()
        )


@receiver(post_save, sender=Pupil)
def grant_pupil_self(sender, instance, **kwargs):
    previous = getattr(instance, "_previous_user_id", None)
    if previous and previous != instance.user_id:
        sweep_pupil_grants(previous, instance.school_id)
    if instance.user_id and previous != instance.user_id:
        assign_perm(VIEW_PUPIL, instance.user, instance)


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        SessionLifetimeMiddleware.start(request.session)
    login_history.record_sign_in(request, user)
    if request is not None and not signs_in_from_trusted_device(
        request, {"username": user.get_username()}
    ):
        # The password, known on an untrusted client: its failures start again. A trusted
        # device's success leaves the untrusted clients' lockout as it is.
        axes_reset(username=user.get_username())


@receiver(user_login_failed)
def record_failed_login(sender, credentials, request=None, **kwargs):
    username = credentials.get("username")
    count_device_failure(request, username)
    user = User.objects.filter(username=username).first() if username else None
    if user is not None:
        login_history.record_failed_attempt(request, user)


@receiver(post_save, sender=Organisation)
@receiver(post_delete, sender=Organisation)
def drop_cached_organisation(sender, instance, **kwargs):
    forget_organisation(instance)


@receiver(post_save, sender=OrganisationMembership)
@receiver(post_delete, sender=OrganisationMembership)
def drop_cached_organisation_roles(sender, instance, **kwargs):
    forget_organisation_roles([instance.user_id], instance.organisation_id)


@receiver(m2m_changed, sender=Organisation.schools.through)
def drop_reading_of_schools(sender, instance, action, pk_set, reverse, **kwargs):
    """A school joining or leaving an organisation changes what its people read there."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if reverse:  # a school's organisations changed (pk_set is None on clear: all of them)
        ids = pk_set if pk_set is not None else instance.organisations.values_list("pk", flat=True)
        pairs = [(organisation_id, {instance.pk}) for organisation_id in ids]
    else:  # an organisation's schools (None on clear: every school it had)
        pairs = [(instance.pk, pk_set)]
    for organisation_id, schools in pairs:
        users = OrganisationMembership.objects.filter(organisation_id=organisation_id).values_list(
            "user_id", flat=True
        )
        forget_organisation_roles(users, organisation_id, schools)
