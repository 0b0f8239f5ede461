"""Removing stored files that no application, cl. 11 reply, minutes, cl. 18 evidence or appointment
proposal (service record, appointment act) point at (issue 5: nothing lost, nothing left over).

A document is stored before its row commits; if the process dies in between (kill -9 during an
upload), the file has no row. After the cleanup period such files are deleted. Rows never point
at missing files, because the row is written only after the file is safely stored.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import col

from portal.applications.models import ApplicationDocument
from portal.appointments.models import AppointmentProposal
from portal.commission.models import Minutes
from portal.core.db import session_scope
from portal.core.settings import Settings
from portal.core.storage import storage_from_url, sweep_orphans
from portal.reserve.exclusion_models import ExclusionEvidence
from portal.selections.stage_models import VettingReply


async def sweep_documents(settings: Settings, older_than_seconds: float | None = None) -> list[str]:
    """Delete stored files older than the cleanup period that no document, cl. 11 reply, minutes,
    cl. 18 evidence or appointment proposal reference."""
    storage = storage_from_url(settings.storage_url, settings.storage_dir)

    async def referenced(keys: Sequence[str]) -> set[str]:
        async with session_scope(settings) as session:
            rows: sa.Result[Any] = await session.execute(
                sa.union(
                    sa.select(col(ApplicationDocument.storage_key)).where(
                        col(ApplicationDocument.storage_key).in_(keys)
                    ),
                    sa.select(col(VettingReply.storage_key)).where(col(VettingReply.storage_key).in_(keys)),
                    sa.select(col(Minutes.storage_key)).where(col(Minutes.storage_key).in_(keys)),
                    sa.select(col(ExclusionEvidence.storage_key)).where(
                        col(ExclusionEvidence.storage_key).in_(keys)
                    ),
                    sa.select(col(AppointmentProposal.service_record_key)).where(
                        col(AppointmentProposal.service_record_key).in_(keys)
                    ),
                    sa.select(col(AppointmentProposal.act_key)).where(
                        col(AppointmentProposal.act_key).in_(keys)
                    ),
                )
            )
            return set(rows.scalars())

    period = settings.orphan_cleanup_hours * 3600 if older_than_seconds is None else older_than_seconds
    return await sweep_orphans(storage, referenced, period)
