"""Categories, tag lists, tags and company cards of a workspace."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Row, Table, exists, insert, select, update
from sqlalchemy.orm import Session

from ledgerbridge.domain.coding import Category, CompanyCard, ImportAs, IntacctState, Origin, Tag, TagList
from ledgerbridge.domain.ids import CardId, CategoryId, Dimension, TagId, WorkspaceId
from ledgerbridge.store.errors import AlreadyExists, InUse, NotFound
from ledgerbridge.store.models import CategoryRow, CompanyCardRow, ExpenseRow, ReportRow, TagListRow, TagRow
from ledgerbridge.store.repos._bulk import execute_many


def _category(row: CategoryRow | Row[Any]) -> Category:
    return Category(
        id=row.id,
        workspace_id=row.workspace_id,
        name=row.name,
        enabled=row.enabled,
        gl_account=row.gl_account,
        expense_type=row.expense_type,
        origin=Origin(row.origin),
        intacct_state=IntacctState(row.intacct_state),
        intacct_note=row.intacct_note,
    )


def _tag(row: TagRow) -> Tag:
    return Tag(
        id=row.id,
        workspace_id=row.workspace_id,
        dimension=row.dimension,
        code=row.code,
        name=row.name,
        enabled=row.enabled,
        origin=Origin(row.origin),
        intacct_state=IntacctState(row.intacct_state),
    )


def _card(row: CompanyCardRow) -> CompanyCard:
    return CompanyCard(row.id, row.workspace_id, row.masked_number, row.cardholder, row.charge_card_account)



def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)

class Coding:
    """Everything an expense is coded with. Lookups are scoped to a workspace: others' ids are not found."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # Categories

    def add_category(self, category: Category) -> Category:
        self._unique_category_name(category)
        self.session.add(CategoryRow(id=category.id, **self._category_values(category)))
        self.session.flush()
        return category

    def save_category(self, category: Category) -> Category:
        row = self._category_row(category.workspace_id, category.id)
        self._unique_category_name(category)
        for name, value in self._category_values(category).items():
            setattr(row, name, value)
        self.session.flush()
        return category

    def add_categories(self, categories: Sequence[Category]) -> None:
        """Insert many categories in one statement (Sync Now); the unique constraint still guards names."""
        if categories:
            # A Core insert of the table: the ORM's bulk path costs several times more per row.
            self.session.flush()
            execute_many(self.session, insert(_table(CategoryRow)),
                         ({"id": c.id, **self._category_values(c)} for c in categories))

    def save_categories(self, categories: Sequence[Category]) -> None:
        """Update many categories by id in one statement; each must belong to its workspace."""
        if not categories:
            return
        owners = self._owners(CategoryRow, [c.id for c in categories])
        for category in categories:
            if owners.get(category.id) != category.workspace_id:
                raise NotFound("category", category.id)
        self.session.execute(update(CategoryRow), [{"id": c.id, **self._category_values(c)} for c in categories])

    def _owners(self, model: type[CategoryRow] | type[TagRow], ids: list[str]) -> dict[str, str]:
        owners: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            query = select(model.id, model.workspace_id).where(model.id.in_(chunk))
            owners.update((str(i), str(w)) for i, w in self.session.execute(query).all())
        return owners

    def category(self, workspace_id: WorkspaceId, category_id: CategoryId) -> Category:
        return _category(self._category_row(workspace_id, category_id))

    def categories(self, workspace_id: WorkspaceId, *, enabled_only: bool = False) -> list[Category]:
        # Columns rather than ORM objects: a synced chart of accounts gives tens of thousands of categories.
        self.session.flush()  # a Core select does not flush pending ORM changes by itself
        table = _table(CategoryRow)
        query = select(table).where(table.c.workspace_id == workspace_id)
        if enabled_only:
            query = query.where(table.c.enabled.is_(True))
        return [_category(row) for row in self.session.execute(query.order_by(table.c.name, table.c.id))]

    def category_in_use(self, category_id: CategoryId) -> bool:
        """Whether any expense is coded with the category (sync never deletes such a category)."""
        return bool(self.session.scalar(select(exists().where(ExpenseRow.category_id == category_id))))

    def delete_category(self, workspace_id: WorkspaceId, category_id: CategoryId) -> None:
        row = self._category_row(workspace_id, category_id)
        if self.category_in_use(category_id):
            raise InUse("category", row.name, "expenses")
        self.session.delete(row)
        self.session.flush()

    def _category_row(self, workspace_id: WorkspaceId, category_id: CategoryId) -> CategoryRow:
        row = self.session.get(CategoryRow, category_id)
        if row is None or row.workspace_id != workspace_id:
            raise NotFound("category", category_id)
        return row

    def _unique_category_name(self, category: Category) -> None:
        clash = self.session.scalar(
            select(CategoryRow.id).where(
                CategoryRow.workspace_id == category.workspace_id,
                CategoryRow.name == category.name,
                CategoryRow.id != category.id,
            )
        )
        if clash is not None:
            raise AlreadyExists("category", category.name)

    @staticmethod
    def _category_values(category: Category) -> dict[str, object]:
        return {
            "workspace_id": category.workspace_id,
            "name": category.name,
            "enabled": category.enabled,
            "gl_account": category.gl_account,
            "expense_type": category.expense_type,
            "origin": category.origin.value,
            "intacct_state": category.intacct_state.value,
            "intacct_note": category.intacct_note,
        }

    # Tag lists and tags

    def save_tag_list(self, tag_list: TagList) -> TagList:
        """Create or update the tag list of a dimension."""
        row = self.session.get(TagListRow, (tag_list.workspace_id, tag_list.dimension))
        if row is None:
            self.session.add(
                TagListRow(
                    workspace_id=tag_list.workspace_id,
                    dimension=tag_list.dimension,
                    label=tag_list.label,
                    imported_as=tag_list.imported_as.value,
                )
            )
        else:
            row.label, row.imported_as = tag_list.label, tag_list.imported_as.value
        self.session.flush()
        return tag_list

    def tag_lists(self, workspace_id: WorkspaceId) -> list[TagList]:
        rows = self.session.scalars(
            select(TagListRow).where(TagListRow.workspace_id == workspace_id).order_by(TagListRow.dimension)
        )
        return [TagList(r.workspace_id, r.dimension, r.label, ImportAs(r.imported_as)) for r in rows]

    def delete_tag_list(self, workspace_id: WorkspaceId, dimension: Dimension) -> None:
        row = self.session.get(TagListRow, (workspace_id, dimension))
        if row is None:
            raise NotFound("tag list", dimension)
        self.session.delete(row)
        self.session.flush()

    def add_tag(self, tag: Tag) -> Tag:
        self._unique_tag_code(tag)
        self.session.add(TagRow(id=tag.id, **self._tag_values(tag)))
        self.session.flush()
        return tag

    def save_tag(self, tag: Tag) -> Tag:
        row = self._tag_row(tag.workspace_id, tag.id)
        self._unique_tag_code(tag)
        for name, value in self._tag_values(tag).items():
            setattr(row, name, value)
        self.session.flush()
        return tag

    def add_tags(self, tags: Sequence[Tag]) -> None:
        """Insert many tags in one statement (Sync Now); the unique constraint still guards codes."""
        if tags:
            self.session.flush()
            execute_many(self.session, insert(_table(TagRow)), ({"id": t.id, **self._tag_values(t)} for t in tags))

    def save_tags(self, tags: Sequence[Tag]) -> None:
        """Update many tags by id in one statement; each must belong to its workspace."""
        if not tags:
            return
        owners = self._owners(TagRow, [t.id for t in tags])
        for tag in tags:
            if owners.get(tag.id) != tag.workspace_id:
                raise NotFound("tag", tag.id)
        self.session.execute(update(TagRow), [{"id": t.id, **self._tag_values(t)} for t in tags])

    def tag(self, workspace_id: WorkspaceId, tag_id: TagId) -> Tag:
        return _tag(self._tag_row(workspace_id, tag_id))

    def tags(self, workspace_id: WorkspaceId, dimension: Dimension | None = None) -> list[Tag]:
        query = select(TagRow).where(TagRow.workspace_id == workspace_id)
        if dimension is not None:
            query = query.where(TagRow.dimension == dimension)
        return [_tag(row) for row in self.session.scalars(query.order_by(TagRow.dimension, TagRow.code))]

    def tag_in_use(self, tag: Tag) -> bool:
        """Whether any expense of the workspace is coded with the tag."""
        query = select(
            exists()
            .where(ExpenseRow.report_id == ReportRow.id)
            .where(ReportRow.workspace_id == tag.workspace_id)
            .where(ExpenseRow.tags[tag.dimension].as_string() == tag.code)
        )
        return bool(self.session.scalar(query))

    def delete_tag(self, workspace_id: WorkspaceId, tag_id: TagId) -> None:
        row = self._tag_row(workspace_id, tag_id)
        if self.tag_in_use(_tag(row)):
            raise InUse("tag", f"{row.dimension} {row.code}", "expenses")
        self.session.delete(row)
        self.session.flush()

    def _tag_row(self, workspace_id: WorkspaceId, tag_id: TagId) -> TagRow:
        row = self.session.get(TagRow, tag_id)
        if row is None or row.workspace_id != workspace_id:
            raise NotFound("tag", tag_id)
        return row

    def _unique_tag_code(self, tag: Tag) -> None:
        clash = self.session.scalar(
            select(TagRow.id).where(
                TagRow.workspace_id == tag.workspace_id,
                TagRow.dimension == tag.dimension,
                TagRow.code == tag.code,
                TagRow.id != tag.id,
            )
        )
        if clash is not None:
            raise AlreadyExists("tag", f"{tag.dimension} {tag.code}")

    @staticmethod
    def _tag_values(tag: Tag) -> dict[str, object]:
        return {
            "workspace_id": tag.workspace_id,
            "dimension": tag.dimension,
            "code": tag.code,
            "name": tag.name,
            "enabled": tag.enabled,
            "origin": tag.origin.value,
            "intacct_state": tag.intacct_state.value,
        }

    # Company cards

    def add_card(self, card: CompanyCard) -> CompanyCard:
        self.session.add(
            CompanyCardRow(
                id=card.id,
                workspace_id=card.workspace_id,
                masked_number=card.masked_number,
                cardholder=card.cardholder,
                charge_card_account=card.charge_card_account,
            )
        )
        self.session.flush()
        return card

    def save_card(self, card: CompanyCard) -> CompanyCard:
        row = self._card_row(card.workspace_id, card.id)
        row.masked_number, row.cardholder = card.masked_number, card.cardholder
        row.charge_card_account = card.charge_card_account
        self.session.flush()
        return card

    def card(self, workspace_id: WorkspaceId, card_id: CardId) -> CompanyCard:
        return _card(self._card_row(workspace_id, card_id))

    def cards(self, workspace_id: WorkspaceId) -> list[CompanyCard]:
        rows = self.session.scalars(
            select(CompanyCardRow)
            .where(CompanyCardRow.workspace_id == workspace_id)
            .order_by(CompanyCardRow.masked_number, CompanyCardRow.id)
        )
        return [_card(row) for row in rows]

    def delete_card(self, workspace_id: WorkspaceId, card_id: CardId) -> None:
        row = self._card_row(workspace_id, card_id)
        if self.session.scalar(select(exists().where(ExpenseRow.card_id == card_id))):
            raise InUse("company card", row.masked_number, "expenses")
        self.session.delete(row)
        self.session.flush()

    def _card_row(self, workspace_id: WorkspaceId, card_id: CardId) -> CompanyCardRow:
        row = self.session.get(CompanyCardRow, card_id)
        if row is None or row.workspace_id != workspace_id:
            raise NotFound("company card", card_id)
        return row
