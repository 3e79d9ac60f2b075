"""`kiosk catalog …`: import, export, validate, search and show the service catalog."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kiosk.catalog import exchange, present
from kiosk.catalog.search import CatalogIndex, where_handled
from kiosk.catalog.service import get_center, get_item
from cli.context import CommandError
from cli.arguments import MAX_ROWS, count


def register(subparsers) -> None:
    catalog = subparsers.add_parser("catalog", help="the service catalog (事项目录)")
    commands = catalog.add_subparsers(dest="catalog_command", metavar="COMMAND", required=True)

    p = commands.add_parser("import", help="import a kiosk-catalog/1 JSON file (导入)")
    p.add_argument("file")
    p.add_argument("--replace", action="store_true", help="also remove items absent from the file")
    p.set_defaults(handler=import_command)

    p = commands.add_parser("validate", help="check a file without writing anything (校验)")
    p.add_argument("file")
    p.set_defaults(handler=validate_command)

    p = commands.add_parser("export", help="write the catalog as kiosk-catalog/1 JSON (导出)")
    p.add_argument("file", help="output file, or - for standard output")
    p.set_defaults(handler=export_command)

    p = commands.add_parser("search", help="search items by Chinese, pinyin, initials or code (搜索)")
    p.add_argument("query")
    p.add_argument("--limit", type=count(1, MAX_ROWS), default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=search_command)

    p = commands.add_parser("show", help="print one item with every field (查看事项)")
    p.add_argument("code")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=show_command)


def _read(path: str) -> dict:
    try:
        return exchange.read_file(path)
    except exchange.CatalogError as exc:
        raise CommandError(f"目录文件有误，未做任何修改 / catalog file rejected, nothing changed:\n{exc}") from None


def import_command(args, context) -> int:
    data = _read(args.file)
    with context.database.session() as session:
        summary = exchange.apply(session, data, replace=args.replace)
    print(f"导入完成 / imported: {summary}")
    if summary.removed_codes:
        print("已删除 / removed: " + ", ".join(summary.removed_codes))
    return 0


def validate_command(args, context) -> int:
    data = _read(args.file)
    print(f"目录文件有效 / valid: {len(data['items'])} items, {len(data['departments'])} departments")
    return 0


def export_command(args, context) -> int:
    with context.database.session() as session:
        try:
            text = exchange.dumps(exchange.export(session))
        except exchange.CatalogError as exc:
            raise CommandError(f"无法导出 / cannot export:\n{exc}") from None
    if args.file == "-":
        sys.stdout.write(text)
    else:
        Path(args.file).write_text(text, encoding="utf-8")
        print(f"已导出 / exported to {args.file}")
    return 0


def search_command(args, context) -> int:
    if args.limit < 1:
        raise CommandError("--limit 应为正整数 / must be a positive number", 2)
    with context.database.session() as session:
        hits = CatalogIndex.load(session).search(args.query, limit=args.limit)
    if args.json:
        print(json.dumps([hit.as_json() for hit in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("没有找到相关事项 / no matching item")
        return 0
    for hit in hits:
        flags = "自助" if hit.self_service else "    "
        print(f"{hit.code}  {flags}  {hit.name}  [{hit.department}]  {hit.where}")
    return 0


def show_command(args, context) -> int:
    with context.database.session() as session:
        item = get_item(session, args.code)
        if item is None:
            raise CommandError(f"未找到事项编码 {args.code!r} / no item with that code")
        if args.json:
            print(json.dumps(exchange.item_to_dict(item), ensure_ascii=False, indent=2))
            return 0
        center = get_center(session)
        print(render_item_text(item, center.name if center else ""))
    return 0


def render_item_text(item, center_name: str = "") -> str:
    """Every field of an item as readable text."""
    p = present
    lines = [
        f"{item.name}",
        f"  事项编码 code: {item.code}" + (f"   基本编码: {item.basic_code}" if item.basic_code else ""),
        f"  事项类型: {item.type}    服务对象: {p.audience_text(item)}",
        f"  实施主体: {item.department.name}",
        f"  办理地点: {where_handled(item)}",
    ]
    if not item.in_center:
        lines.append(f"  部门地址: {item.department.address}  电话: {item.department.phone}")
    if item.location:
        lines.append(f"  地点说明: {item.location}")
    lines += [
        f"  办理时间: {item.hours}",
        f"  法定办结时限: {p.legal_limit_text(item)}" + (f"（{item.legal_limit_note}）" if item.legal_limit_note else ""),
        f"  承诺办结时限: {p.promised_limit_text(item)}" + (f"（{item.promised_limit_note}）" if item.promised_limit_note else ""),
        f"  到办事现场次数: {item.visits}",
        f"  收费: {p.fee_text(item)}" + (f"（依据: {item.fee_basis}）" if item.fee_charged and item.fee_basis else ""),
        f"  咨询电话: {item.consult_phone}    监督投诉电话: {item.complaint_phone}",
        f"  进驻大厅: {'是' if item.in_center else '否'}    自助终端办理: {'是' if item.self_service else '否'}",
        f"  网上办理: {'是' if item.online_supported else '否'}"
        + (f"  电脑端 {item.online_pc_url}" if item.online_pc_url else "")
        + (f"  手机端 {item.online_mobile_url}" if item.online_mobile_url else ""),
        f"  设定依据: {item.basis}",
        f"  受理条件: {item.conditions}",
        "  办理流程:",
        *[f"    {i}. {step}" for i, step in enumerate(item.procedure, 1)],
        "  申请材料:",
        *[
            f"    {i}. {m.name}（{p.necessity_text(m)}；{p.MATERIAL_TYPE_LABELS[m.type]}；{p.MATERIAL_FORM_LABELS[m.form]}；"
            f"{p.copies_text(m)}；{p.MATERIAL_SOURCE_LABELS[m.source]}）"
            + (f" 规格: {m.spec}" if m.spec else "")
            + (f" 须知: {m.notes}" if m.notes else "")
            for i, m in enumerate(item.materials, 1)
        ],
    ]
    if item.faq:
        lines.append("  常见问题:")
        for f in item.faq:
            lines += [f"    问: {f['q']}", f"    答: {f['a']}"]
    if item.keywords:
        lines.append("  关键词: " + "、".join(item.keywords))
    if item.topics:
        lines.append("  主题: " + "、".join(t.name for t in item.topics))
    return "\n".join(lines)
