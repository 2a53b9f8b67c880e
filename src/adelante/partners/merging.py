"""Two records of one organisation merged into one, and a merge undone (docs/partners.md).

`do_merge_partners` moves every row that points at the absorbed partner (commitments, aliases,
identifiers, memberships, invitations, screenings …: whatever model has a foreign key to
`Partner`, found from the model's relations so that this low layer names none of them) to the
kept partner, makes the absorbed name an alias, deletes the absorbed partner and keeps a
`PartnerMerge` listing what moved. Every moved row gets a history row with the merge's reason;
the history rows of the absorbed partner stay. A row the kept partner already has in the same
form (a membership of the same user, the same identifier) cannot move without breaking a
uniqueness rule: it is set aside (deleted, with its fields kept in the merge record).

`do_undo_merge` recreates the absorbed partner with its own id and slug, moves back exactly
the rows the merge moved (those still on the kept partner) and recreates the rows set aside.

Merges of one partner are undone newest first. A later merge that still stands and touched
the same partner (it absorbed another partner into it, or absorbed it into a third one: the
older merge's record then points at that third partner, as every other row did) may have set
aside rows the older merge had moved, or moved them on: undoing the older one under it would
be partial. So `later_merge` names it, and `do_undo_merge` refuses (nothing written) until it
is undone.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import models, transaction
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.utils import timezone
from django.utils.translation import gettext as _

from adelante import history
from adelante.errors import Conflict, Invalid, ServiceError
from adelante.partners.models import Partner, PartnerAlias, PartnerMerge
from adelante.partners.naming import normalise

#: The absorbed partner's own fields kept by the merge record, to recreate it.
_OWN_FIELDS = ("id", "name", "slug", "normalised_name", "type", "website")


class MergeError(ServiceError):
    """A merge or an undo that cannot be done."""


def _relations() -> Iterator[ForeignObjectRel]:
    """Every relation of another model to a partner through a foreign key, except the
    history rows (which record the past as it was)."""
    for relation in Partner._meta.related_objects:
        # History models relate with related_name "+": hidden, so not listed here.
        if relation.one_to_many:
            yield relation


def _unique_sets(model: type[models.Model], field: str) -> list[tuple[str, ...]]:
    """The other fields that are unique together with `field` (no condition)."""
    sets: list[tuple[str, ...]] = [tuple(fields) for fields in model._meta.unique_together]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.condition is None:
            sets.append(tuple(constraint.fields))
    return [tuple(f for f in fields if f != field) for fields in sets if field in fields]


def _attname(model: type[models.Model], name: str) -> str:
    """The column attribute of a field ("user_id" for the foreign key "user")."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), name
    return field.attname


def _fields(row: models.Model) -> dict[str, Any]:
    """The row's stored values by attribute name (foreign keys as ids), JSON-ready."""
    values: dict[str, Any] = {}
    for field in row._meta.concrete_fields:
        value = getattr(row, field.attname)
        values[field.attname] = field.value_to_string(row) if value is not None else None
    return values


def _restore(label: str, values: dict[str, Any]) -> None:
    from django.apps import apps

    model = apps.get_model(label)
    kwargs = {
        field.attname: field.to_python(values[field.attname])
        if values.get(field.attname) is not None
        else None
        for field in model._meta.concrete_fields
        if field.attname in values
    }
    row = model(**kwargs)
    # Saved as new with its own id: what pointed at it (by id) points at it again.
    row.save(force_insert=True)
    # Dates the database sets on saving (a membership's "created") get back their own values.
    stamped = {
        field.attname: kwargs[field.attname]
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    }
    if stamped:
        model._default_manager.filter(pk=row.pk).update(**stamped)


def do_merge_partners(
    *, keep: Partner, absorb: Partner, by: Any = None, reason: str
) -> PartnerMerge:
    """Merge `absorb` into `keep`, all or nothing; returns the merge record."""
    reason = (reason or "").strip()
    if not reason:
        raise MergeError(_("Say why these partners are one organisation."), kind=Invalid.kind)
    if keep.pk == absorb.pk:
        raise MergeError(_("A partner cannot be merged into itself."), kind=Invalid.kind)
    with transaction.atomic():
        locked = {
            p.pk: p for p in Partner.objects.select_for_update().filter(pk__in=[keep.pk, absorb.pk])
        }
        if len(locked) != 2:
            raise MergeError(_("One of the partners no longer exists."), kind=Conflict.kind)
        keep, absorb = locked[keep.pk], locked[absorb.pk]
        note = _("Merged “%(absorbed)s” into “%(kept)s”: %(reason)s") % {
            "absorbed": absorb.name,
            "kept": keep.name,
            "reason": reason,
        }
        moved: dict[str, list[Any]] = {}
        removed: list[dict[str, Any]] = []
        with history.change(reason=note, user=by):
            for relation in _relations():
                model, field = relation.related_model, relation.field
                label = model._meta.label_lower
                rows = list(model._default_manager.filter(**{field.name: absorb}))
                others = _unique_sets(model, field.name)
                for row in rows:
                    if any(
                        model._default_manager.filter(
                            **{field.name: keep},
                            **{
                                _attname(model, f): getattr(row, _attname(model, f)) for f in fields
                            },
                        ).exists()
                        for fields in others
                    ):
                        removed.append({"model": label, "fields": _fields(row)})
                        history.delete(row, user=by, reason=note)
                        continue
                    setattr(row, field.name, keep)
                    history.save(row, user=by, reason=note, update_fields=[field.name])
                    moved.setdefault(label, []).append(row.pk)
            alias_pk = None
            known = {keep.normalised_name, *keep.aliases.values_list("normalised_name", flat=True)}
            snapshot = {name: _fields(absorb)[name] for name in _OWN_FIELDS}
            history.delete(absorb, user=by, reason=note)
            taken = PartnerAlias.objects.filter(normalised_name=absorb.normalised_name).exists()
            if absorb.normalised_name and absorb.normalised_name not in known and not taken:
                alias = PartnerAlias(
                    partner=keep, name=absorb.name, normalised_name=absorb.normalised_name
                )
                history.save(alias, user=by, reason=note)
                alias_pk = alias.pk
            history.save(keep, user=by, reason=note)
        return PartnerMerge.objects.create(
            keep=keep,
            absorbed_name=snapshot["name"],
            absorbed=snapshot,
            moved=moved,
            removed=removed,
            alias={"pk": alias_pk} if alias_pk is not None else None,
            merged_by=by if getattr(by, "pk", None) is not None else None,
            reason=reason,
        )


def later_merge(merge: PartnerMerge) -> PartnerMerge | None:
    """The newest merge made after this one, not undone, that touched its kept partner (as
    the partner kept, or as the one absorbed: the record then points at the partner that
    absorbed it); None if there is none, and this merge may be undone."""
    # The kept partner as stored now (a later merge may have moved the record to another).
    keep = PartnerMerge.objects.filter(pk=merge.pk).values("keep_id")[:1]
    return (
        PartnerMerge.objects.filter(keep_id=keep, undone_at__isnull=True, pk__gt=merge.pk)
        .select_related("keep")
        .order_by("-pk")
        .first()
    )


def later_merge_message(later: PartnerMerge) -> str:
    """Why an older merge cannot be undone yet, naming the merge to undo first."""
    return _(
        "A later merge touched the same partner and still stands: “%(absorbed)s” into "
        "“%(kept)s” (merge %(id)d, %(date)s). Undo that merge first: the merges of one partner "
        "are undone newest first."
    ) % {
        "absorbed": later.absorbed_name,
        "kept": later.keep.name,
        "id": later.pk,
        "date": timezone.localtime(later.merged_at).date().isoformat(),
    }


def do_undo_merge(*, merge: PartnerMerge, by: Any = None, reason: str = "") -> Partner:
    """Undo a merge: the absorbed partner again, with what the merge moved; returns it.

    Refused (`MergeError`, nothing written) if it was undone already, if a later merge that
    touched the same partner still stands (`later_merge`), or if another partner has taken
    the absorbed partner's slug or name since."""
    from django.apps import apps

    with transaction.atomic():
        # The kept partner locked first: a merge of it made meanwhile waits for this undo.
        keep_id = PartnerMerge.objects.filter(pk=merge.pk).values_list("keep_id", flat=True)
        list(Partner.objects.select_for_update().filter(pk__in=list(keep_id)).values("pk"))
        merge = PartnerMerge.objects.select_for_update().get(pk=merge.pk)
        if merge.undone_at is not None:
            raise MergeError(_("This merge was undone already."), kind=Conflict.kind)
        later = later_merge(merge)
        if later is not None:
            raise MergeError(later_merge_message(later), kind=Conflict.kind, code="later-merge")
        keep = merge.keep
        snapshot = merge.absorbed
        if Partner.objects.filter(slug=snapshot["slug"]).exists():
            raise MergeError(
                _("Another partner has the slug “%(slug)s” now; change it first.")
                % {"slug": snapshot["slug"]},
                kind=Conflict.kind,
            )
        note = _("Undid the merge of “%(absorbed)s” into “%(kept)s”") % {
            "absorbed": merge.absorbed_name,
            "kept": keep.name,
        }
        if reason.strip():
            note = f"{note}: {reason.strip()}"
        with history.change(reason=note, user=by):
            if merge.alias is not None:
                alias = PartnerAlias.objects.filter(pk=merge.alias["pk"], partner=keep).first()
                if alias is not None:
                    history.delete(alias, user=by, reason=note)
            key = normalise(snapshot["name"])
            if (
                PartnerAlias.objects.filter(normalised_name=key).exists()
                or Partner.objects.filter(normalised_name=key).exists()
            ):
                raise MergeError(
                    _("“%(name)s” is a partner's name or alias now; change it first.")
                    % {"name": snapshot["name"]},
                    kind=Conflict.kind,
                )
            absorbed = Partner(
                id=int(snapshot["id"]),
                name=snapshot["name"],
                slug=snapshot["slug"],
                normalised_name=snapshot["normalised_name"],
                type=snapshot["type"],
                website=snapshot["website"] or "",
            )
            history.save(absorbed, user=by, reason=note, force_insert=True)
            fields = {r.related_model._meta.label_lower: r.field.name for r in _relations()}
            for label, pks in merge.moved.items():
                model = apps.get_model(label)
                field = fields[label]
                for row in model._default_manager.filter(pk__in=pks, **{field: keep}):
                    setattr(row, field, absorbed)
                    history.save(row, user=by, reason=note, update_fields=[field])
            for entry in merge.removed:
                _restore(entry["model"], entry["fields"])
            history.save(keep, user=by, reason=note)
        merge.undone_at = timezone.now()
        merge.undone_by = by if getattr(by, "pk", None) is not None else None
        merge.save(update_fields=["undone_at", "undone_by"])
        return absorbed
