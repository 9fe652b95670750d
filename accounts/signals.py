"""Keep guardian object permissions in step with the roles that grant them; record sign-ins."""

from axes.signals import user_locked_out  # noqa: F401  (axes wires its own handlers)
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from guardian.shortcuts import assign_perm, remove_perm

from .middleware import SessionLifetimeMiddleware
from .models import LoginEvent, Membership, ParentLink, Pupil, Regulation, School, User
from .security import client_ip
from .tenancy import forget_roles, forget_school

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


@receiver(post_save, sender=ParentLink)
def grant_parent(sender, instance, **kwargs):
    assign_perm(VIEW_PUPIL, instance.parent, instance.pupil)


@receiver(post_delete, sender=ParentLink)
def revoke_parent(sender, instance, **kwargs):
    remove_perm(VIEW_PUPIL, instance.parent, instance.pupil)


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
        remove_perm(VIEW_PUPIL, User.objects.get(pk=previous), instance)
    if instance.user_id and previous != instance.user_id:
        assign_perm(VIEW_PUPIL, instance.user, instance)


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        SessionLifetimeMiddleware.start(request.session)
    LoginEvent.objects.create(
        user=user,
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:300],
    )


@receiver(user_login_failed)
def record_failed_login(sender, credentials, request=None, **kwargs):
    username = credentials.get("username")
    user = User.objects.filter(username=username).first() if username else None
    if user is not None:
        LoginEvent.objects.create(
            user=user,
            ip_address=client_ip(request),
            user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:300],
            succeeded=False,
        )
