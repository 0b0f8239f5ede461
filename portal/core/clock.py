"""The one place that reads the time. Rules take dates as arguments; this decides which "today"."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from portal.core.models import utcnow


@dataclass(frozen=True, slots=True)
class Clock:
    """Today is the calendar day in Asia/Almaty: deadlines end at 23:59:59 local time (rules.md A-35)."""

    timezone: str = "Asia/Almaty"
    fixed_now: datetime | None = None

    def now(self) -> datetime:
        return self.fixed_now or utcnow()

    def today(self) -> date:
        return self.now().astimezone(ZoneInfo(self.timezone)).date()
