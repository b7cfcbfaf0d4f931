"""``gongkai sync login|push|pull|status|export|import|key|catalog|attach-pdf``: county and USB."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.catalog.importing import import_catalog
from app.cli.catalog import domain_mapping, print_import
from app.cli.shape import Subcommands, print_json
from app.errors import UserError
from app.store import Store

if TYPE_CHECKING:
    from app.sync.bundle import Signer


def cmd_sync(store: Store, args: argparse.Namespace) -> int:
    """``sync login|push|pull|status|export|import|key|catalog|attach-pdf``: county and USB."""
    from app.sync import exchange, outbox

    if args.action == "login":
        if not args.server:
            raise UserError("请用 --server 给出县级平台地址。")
        # The CA file is kept by its full path: later pushes run from other folders.
        ca_cert = str(Path(args.ca_cert).resolve()) if args.ca_cert else args.ca_cert
        from_env = bool(os.environ.get(exchange.TOKEN_ENV))
        token = os.environ.get(exchange.TOKEN_ENV) or _ask_token()
        # Settings are written by login only once the county has answered through them.
        hello = exchange.login(store, args.server, token, keep=not from_env,
                               ca_cert=ca_cert, proxy=args.proxy)
        kept = ("令牌取自环境变量，未保存" if from_env
                else "令牌已加密保存在本机用户目录（本机没有可用的系统密钥环）"
                if hello.get("token_kept") == "encrypted_file" else "令牌已存入系统密钥环")
        print(f"已登录县级平台 {args.server}（{hello.get('township', '')}），{kept}。")
        if hello.get("key_fingerprint"):
            county = hello.get("county_key_fingerprint")
            print(f"本机签名公钥已在县里登记，指纹 {hello['key_fingerprint']}"
                  + (f"；县级平台公钥指纹 {county}" if county else "") + "。")
        return 0
    if args.action in ("import", "key"):
        return cmd_sync_usb(store, args)
    if args.action == "catalog":
        return cmd_sync_catalog(store, args)
    if args.action == "attach-pdf":
        from app.sync import attached_sheets

        if args.file not in ("on", "off"):
            raise UserError("请写 gongkai sync attach-pdf on 或 off。")
        attached_sheets.set_enabled(store, args.file == "on")
        print("今后报送时附上每条信息的张贴稿 PDF。" if args.file == "on"
              else "今后报送时不再附张贴稿 PDF。")
        return 0
    if args.action == "export":
        if not args.file:
            raise UserError("请给出U盘文件的保存位置，如 gongkai sync export E:/报送.zip。")
        from app.sync import signing

        had_key = signing.desk_signer(store) is not None
        batches = exchange.export_bundle(store, Path(args.file))
        count = sum(len(b.notices) for b in batches)
        print(f"已导出 {count} 条公开信息（{len(batches)} 个批次）到 {args.file}。" if batches
              else "没有待报送的公开信息。")
        if batches and not had_key:
            print(f"本机新生成了签名密钥（指纹 {signing.key_status(store)['fingerprint']}），"
                  "县里要先登记它才能导入：登录县级平台，或运行 gongkai sync key --out 文件"
                  " 把公钥交县里。")
        return 0
    if args.action == "status":
        status = outbox.sync_status(store)
        if args.json:
            print_json(status.to_json())
        else:
            print(f"上次成功同步：{status.last_ok or '从未'}；待报送 {status.queued} 条，"
                  f"报送中 {status.in_flight} 条，县级退回 {len(status.returned)} 条。")
            for held in status.held:
                print(f"暂不报送「{held['title']}」：{held['why']}。")
            if status.last_error:
                print(f"上次出错：{status.last_error}")
            if status.catalog_offer:
                print(f"县里发来目录第{status.catalog_offer['version']}版尚未采用，"
                      "请运行 gongkai sync catalog 预览。")
        return 0
    with exchange.connect(store, args.server) as client:
        if args.action == "push":
            report = exchange.push(store, client)
            if args.json:
                print_json(report.to_json())
            elif not report.batches:
                print("没有待报送的公开信息。")
            else:
                print(f"已报送 {report.notices} 条公开信息（{report.batches} 个批次，"
                      f"{report.attachments} 个附件）。")
        else:
            pulled = exchange.pull(store, client)
            if args.json:
                print_json(pulled.to_json())
            else:
                print(f"收到县级答复 {pulled.replies} 条（退回 {pulled.returned} 条）。")
                if pulled.catalog_items:
                    print(f"县里发来目录第{pulled.catalog_version}版（{pulled.catalog_items}项），"
                          "请运行 gongkai sync catalog 预览，确认后再采用。")
                if pulled.rules_version:
                    print(f"县里发来考核细则第{pulled.rules_version}版，请运行 gongkai assess rules"
                          " offer 预览，确认后再采用。")
                for year in pulled.calendar_years:
                    print(f"已载入{year}年节假日安排。")
                lists = pulled.problem_lists
                if lists.imported:
                    print(f"已导入县里发来的问题清单{lists.imported}份（{lists.problems}个问题），"
                          "请运行 gongkai rectify list 查看整改期限。")
                for refused in lists.refused:
                    print(f"县里发来的问题清单「{refused['title'] or refused['filename']}」"
                          f"未能导入：{refused['reason']}")
    return 0


def cmd_sync_usb(store: Store, args: argparse.Namespace) -> int:
    """``sync import FILE.zip`` (the county's replies by USB) and ``sync key`` (the keys)."""
    from app.atomic import write_bytes
    from app.sync import signing

    if args.action == "import":
        if not args.file:
            raise UserError("请给出县里的答复文件，如 gongkai sync import E:/青石镇答复.zip。")
        done = signing.import_replies(store, Path(args.file))
        if args.json:
            print_json(done.to_json())
        elif not done.replies and not done.receipts:
            print("这个答复文件里的县级答复此前都已收到，没有新的内容。")
        else:
            print(f"已导入县级答复 {done.replies} 条（发布 {done.published} 条，退回 "
                  f"{done.returned} 条），确认收到 {done.receipts} 个批次。")
        return 0
    if args.county_key:
        print(f"已载入县级平台公钥，指纹 {signing.set_county_key(store, args.county_key)}，"
              "请与县里电话核对。")
        return 0
    if args.new:
        signer = _rotate(store)
    else:
        signer, made = signing.ensure_signer(store)
        if made:
            print(f"已生成本机的签名密钥，指纹 {signer.fingerprint}。")
    if args.out:
        write_bytes(Path(args.out), (signer.public_text + "\n").encode("ascii"))
    status = signing.key_status(store)
    if args.json:
        print_json(status)
        return 0
    print(f"本机签名公钥：{status['public_key']}")
    print(f"指纹 {status['fingerprint']}"
          + (f"；县级平台公钥指纹 {status['county_fingerprint']}" if status["county_key"]
             else "；尚未载入县级平台公钥") + "。")
    return 0


def _rotate(store: Store) -> Signer:
    """A new key pair; registered at once over the network when the desk is logged in."""
    from app.sync import exchange, signing

    if store.get_setting("sync.server", ""):
        with exchange.connect(store) as client:
            registered = signing.register(store, client, rotate=True)
        store.set_settings(registered.settings)
        store.audit("sync.key", registered.to_json()["key_fingerprint"], {"rotated": True})
        signer = signing.desk_signer(store)
        assert signer is not None  # register() kept the private key before answering
        print(f"已换用新的签名密钥并在县里登记，指纹 {signer.fingerprint}；"
              "旧密钥签名的U盘文件县里将不再接受。")
        return signer
    signer = signing.new_signer()
    store.set_settings({signing.DESK_KEY: signer.public_text})
    store.audit("sync.key", signer.fingerprint, {"rotated": True})
    print(f"已生成新的签名密钥，指纹 {signer.fingerprint}。本机尚未连接县级平台，"
          "请用 gongkai sync key --out 文件 把公钥交县里登记。")
    return signer


def cmd_sync_catalog(store: Store, args: argparse.Namespace) -> int:
    """``sync catalog``: preview the county's catalog revision, then --apply or --decline it."""
    from app.sync import catalog_offers

    if args.decline:
        offer = catalog_offers.decline(store)
        print(f"已搁置{offer.name}，目录未作改动。")
        return 0
    offer = catalog_offers.waiting(store)
    report = import_catalog(store, offer, replace=not args.keep_others, dry_run=not args.apply,
                            add_domains=set(args.add_domain or []),
                            mapping=domain_mapping(args.map))
    if not args.json:
        print(("已采用" if args.apply else "预览（尚未写入）：") + offer.name + "。")
    print_import(report, args.json, details=not args.apply)
    if not args.apply and not args.json:
        print("确认无误后运行 gongkai sync catalog --apply 采用。")
    return 0


def _ask_token() -> str:
    """The token typed by the clerk (hidden at a terminal, a plain line from a pipe)."""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("县级平台令牌：")
    return sys.stdin.readline().strip()

def register(sub: Subcommands) -> None:
    """Add ``sync``."""
    p = sub.add_parser("sync", help="与县级平台同步，或导出到U盘")
    p.add_argument("action", choices=["login", "push", "pull", "status", "export", "import",
                                      "key", "catalog", "attach-pdf"])
    p.add_argument("file", nargs="?",
                   help="export：U盘文件（.zip）；import：县里的答复文件；attach-pdf：on 或 off")
    p.add_argument("--server", help="县级平台地址，如 https://gongkai.example.gov.cn")
    p.add_argument("--ca-cert", dest="ca_cert", help="login：县里自己的 CA 证书文件")
    p.add_argument("--proxy", help="login：代理服务器地址")
    p.add_argument("--apply", action="store_true", help="catalog：采用县里发来的目录")
    p.add_argument("--decline", action="store_true", help="catalog：搁置，不改动目录")
    p.add_argument("--keep-others", dest="keep_others", action="store_true",
                   help="catalog：县目录里没有的本乡镇事项不停用")
    p.add_argument("--add-domain", action="append", metavar="名称", help="catalog：确认新增领域")
    p.add_argument("--map", action="append", metavar="表中名=领域",
                   help="catalog：把县目录的领域对应到已有领域")
    p.add_argument("--county-key", dest="county_key", metavar="BASE64|FILE",
                   help="key：载入县里提供的县级平台公钥")
    p.add_argument("--new", action="store_true", help="key：换一对新的签名密钥")
    p.add_argument("--out", metavar="FILE", help="key：把本机公钥写入文件，带给县里登记")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_sync)
