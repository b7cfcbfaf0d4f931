"""Who the township is: its name, its county, its published phone numbers."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from app.errors import UserError
from app.phones import check_phone
from app.store import Store


@dataclass(frozen=True)
class Township:
    """The identity printed on notices and sent with every batch."""

    township: str
    county: str
    phone: str

    @property
    def configured(self) -> bool:
        """Whether the first-run questions have been answered."""
        return bool(self.township and self.county)

    def to_json(self) -> dict[str, str]:
        """As JSON."""
        return asdict(self)


def get_township(store: Store) -> Township:
    """The township's settings (empty strings before ``init``)."""
    return Township(store.get_setting("township", "") or "", store.get_setting("county", "") or "",
                    store.get_setting("phone", "") or "")


def set_township(store: Store, township: str, county: str, phone: str | None = None) -> Township:
    """Record the township and county names (and the 监督电话), refusing blanks."""
    township, county = township.strip(), county.strip()
    if not township or not county:
        raise UserError("乡镇名称和县（市、区）名称都不能为空。")
    if len(township) > 40 or len(county) > 40:
        raise UserError("名称太长了，请写正式全称（不超过40个字）。")
    values = {"township": township, "county": county}
    if phone is not None:
        # The rule of app.phones, the same as for the office numbers of 设置.
        values["phone"] = check_phone(phone, "监督电话") if phone.strip() else ""
    store.set_settings(values)
    return get_township(store)
