"""Catalog import and search at county scale.

    .venv/bin/python bench/bench_catalog.py [--items 20000] [--queries 400] [--seed 7]

Generates a realistic kiosk-catalog/1 file (names from government-service vocabulary:
department × matter × action, e.g. 建设工程消防验收备案; materials, keywords, windows,
topics; the same file for the same seed), imports it into a fresh SQLite file in a temp dir
through the real code path (exchange.read_file + exchange.apply in one session), builds the
search index (CatalogIndex.load) and times a few hundred realistic queries. Target: p99 < 5 ms.
"""

from __future__ import annotations

import argparse
import os
import gc
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.catalog import exchange, search_text  # noqa: E402
from machine import machine_summary  # noqa: E402  (bench/, beside this script)
from kiosk.catalog.search import CatalogIndex  # noqa: E402
from kiosk.db import Database  # noqa: E402

TARGET_P99_MS = 5.0
REGION = "411481"  # 永城市

# --- vocabulary ------------------------------------------------------------------------------
# Action groups: what can be done with a matter, and the item type (事项类型) it gives.
ACTIONS = {
    "entity": [("设立登记", "行政许可"), ("变更登记", "行政许可"), ("注销登记", "行政许可"), ("备案", "其他行政权力"),
               ("歇业备案", "其他行政权力"), ("档案查询", "公共服务")],
    "licence": [("核发", "行政许可"), ("变更", "行政许可"), ("延续", "行政许可"), ("注销", "行政许可"),
                ("补办", "行政许可"), ("审批", "行政许可")],
    "card": [("申领", "公共服务"), ("换领", "公共服务"), ("补领", "公共服务"), ("信息变更", "公共服务"),
             ("查询", "公共服务"), ("挂失", "公共服务")],
    "benefit": [("申请", "行政给付"), ("资格认定", "行政确认"), ("待遇申领", "行政给付"), ("停发", "行政给付"),
                ("标准调整", "行政给付"), ("发放查询", "公共服务")],
    "filing": [("备案", "其他行政权力"), ("变更备案", "其他行政权力"), ("注销备案", "其他行政权力"),
               ("验收备案", "其他行政权力")],
    "approval": [("审批", "行政许可"), ("审查", "行政许可"), ("核准", "行政许可"), ("验收", "行政确认"),
                 ("验收备案", "其他行政权力"), ("初步设计审查", "行政许可")],
    "proof": [("证明开具", "公共服务"), ("信息查询", "公共服务"), ("登记", "行政确认"), ("确认", "行政确认")],
    "subsidy": [("申报", "行政给付"), ("审核", "行政给付"), ("发放", "行政给付"), ("认定", "行政确认")],
    "register": [("", "行政确认"), ("信息查询", "公共服务"), ("证明开具", "公共服务"), ("预约", "公共服务")],
}

# (code, name, in hall?, [(matter, action group), …], keywords)
DEPARTMENTS = [
    ("SCJG", "市场监督管理局", True, [
        ("个体工商户", "entity"), ("有限责任公司", "entity"), ("股份有限公司", "entity"), ("农民专业合作社", "entity"),
        ("个人独资企业", "entity"), ("合伙企业", "entity"), ("外商投资企业", "entity"), ("分公司", "entity"),
        ("食品经营许可证", "licence"), ("食品生产许可证", "licence"), ("小餐饮经营许可证", "licence"),
        ("药品经营许可证", "licence"), ("第二类医疗器械经营", "filing"), ("特种设备使用登记", "register"),
        ("工业产品生产许可证", "licence"), ("计量标准器具核准", "approval"), ("食品小作坊登记证", "licence"),
        ("营业执照", "card"), ("股权出质", "filing"), ("动产抵押登记", "register")],
     ["开店", "办执照", "开公司", "工商登记", "营业执照", "食品许可"]),
    ("GAJ", "公安局", True, [
        ("居民身份证", "card"), ("临时居民身份证", "card"), ("户口", "proof"), ("居住证", "card"),
        ("机动车驾驶证", "card"), ("机动车行驶证", "card"), ("机动车号牌", "card"), ("普通护照", "card"),
        ("往来港澳通行证", "card"), ("往来台湾通行证", "card"), ("无犯罪记录", "proof"), ("公章刻制", "filing"),
        ("旅馆业特种行业许可证", "licence"), ("剧毒化学品购买许可证", "licence"), ("烟花爆竹运输许可", "approval"),
        ("大型群众性活动安全许可", "approval"), ("非机动车登记", "register"), ("出生登记", "register")],
     ["身份证", "户口本", "驾照", "行车证", "护照", "港澳通行证", "上户口", "迁户口", "车牌"]),
    ("MZJ", "民政局", False, [
        ("内地居民婚姻登记", "register"), ("婚姻登记档案", "proof"), ("最低生活保障", "benefit"), ("特困人员供养", "benefit"),
        ("临时救助", "benefit"), ("社会团体", "entity"), ("民办非企业单位", "entity"), ("养老机构", "filing"),
        ("高龄津贴", "benefit"), ("困难残疾人生活补贴", "benefit"), ("重度残疾人护理补贴", "benefit"),
        ("孤儿基本生活费", "benefit"), ("殡葬补贴", "subsidy"), ("地名命名", "approval"), ("慈善组织公开募捐资格", "approval")],
     ["结婚", "离婚", "低保", "领证", "救助", "养老院", "补贴"]),
    ("RSJ", "人力资源和社会保障局", True, [
        ("社会保障卡", "card"), ("城乡居民基本养老保险", "benefit"), ("企业职工基本养老保险", "benefit"),
        ("失业保险金", "benefit"), ("工伤保险", "benefit"), ("工伤认定", "proof"), ("劳动能力鉴定", "proof"),
        ("就业创业证", "card"), ("创业担保贷款", "subsidy"), ("职业技能提升补贴", "subsidy"), ("人力资源服务许可", "licence"),
        ("劳务派遣经营许可", "licence"), ("劳动人事争议仲裁", "approval"), ("社会保险登记", "register"),
        ("个人权益记录", "proof"), ("参保缴费凭证", "proof"), ("职称评审", "approval")],
     ["社保", "社保卡", "养老金", "失业金", "退休", "就业", "工伤"]),
    ("YBJ", "医疗保障局", True, [
        ("城乡居民基本医疗保险", "benefit"), ("职工基本医疗保险", "benefit"), ("异地就医", "filing"),
        ("门诊慢特病", "proof"), ("医疗救助", "benefit"), ("生育保险待遇", "benefit"), ("医疗费用手工报销", "subsidy"),
        ("医保关系转移接续", "proof"), ("定点医药机构", "filing"), ("医保电子凭证", "card")],
     ["医保", "报销", "慢病", "异地就医", "新农合", "生育"]),
    ("ZJJ", "住房和城乡建设局", True, [
        ("建筑工程施工许可证", "licence"), ("建设工程消防设计", "approval"), ("建设工程消防验收", "filing"),
        ("建设工程竣工验收", "filing"), ("商品房预售许可", "licence"), ("房屋建筑工程质量监督", "filing"),
        ("建筑业企业资质", "licence"), ("物业服务企业", "filing"), ("城镇污水排入排水管网许可", "licence"),
        ("燃气经营许可证", "licence"), ("市政设施建设类审批", "approval"), ("城市建筑垃圾处置核准", "approval"),
        ("房屋租赁登记", "register"), ("公共租赁住房", "benefit"), ("白蚁防治", "filing")],
     ["施工许可", "消防验收", "竣工验收", "预售证", "公租房", "廉租房", "物业"]),
    ("BDC", "不动产登记中心", True, [
        ("国有建设用地使用权及房屋所有权首次登记", "register"), ("国有建设用地使用权及房屋所有权转移登记", "register"),
        ("不动产抵押权首次登记", "register"), ("不动产抵押权注销登记", "register"), ("不动产预告登记", "register"),
        ("不动产更正登记", "register"), ("不动产异议登记", "register"), ("不动产查封登记", "register"),
        ("不动产权证书", "card"), ("不动产登记资料", "proof"), ("宅基地使用权及房屋所有权登记", "register")],
     ["房产证", "过户", "抵押", "二手房", "不动产证", "房本"]),
    ("ZRZY", "自然资源局", True, [
        ("建设项目用地预审与选址意见书", "approval"), ("建设用地规划许可证", "licence"), ("建设工程规划许可证", "licence"),
        ("乡村建设规划许可证", "licence"), ("临时用地", "approval"), ("采矿许可证", "licence"), ("土地复垦方案", "approval"),
        ("测绘资质", "licence"), ("地质灾害危险性评估", "filing"), ("农村宅基地", "approval")],
     ["规划许可", "用地", "宅基地", "采矿", "土地"]),
    ("JTYS", "交通运输局", True, [
        ("道路运输经营许可证", "licence"), ("道路运输证", "card"), ("道路运输从业人员从业资格证", "card"),
        ("出租汽车驾驶员从业资格证", "card"), ("机动车维修经营", "filing"), ("机动车驾驶员培训", "filing"),
        ("超限运输车辆行驶公路", "approval"), ("公路建设项目施工许可", "licence"), ("占用挖掘公路", "approval"),
        ("网络预约出租汽车运输证", "card"), ("客运班线经营", "licence")],
     ["运输证", "从业资格证", "网约车", "出租车", "货车", "超限"]),
    ("WJW", "卫生健康委员会", True, [
        ("医疗机构执业许可证", "licence"), ("医师执业注册", "licence"), ("护士执业注册", "licence"),
        ("公共场所卫生许可证", "licence"), ("生活饮用水供水单位卫生许可", "licence"), ("放射诊疗许可", "licence"),
        ("出生医学证明", "card"), ("计划生育家庭特别扶助金", "benefit"), ("农村部分计划生育家庭奖励扶助", "benefit"),
        ("母婴保健技术服务执业许可", "licence"), ("诊所", "filing"), ("独生子女父母光荣证", "card")],
     ["卫生许可证", "出生证", "诊所", "医生执业", "护士"]),
    ("JYJ", "教育局", True, [
        ("民办学校办学许可证", "licence"), ("教师资格认定", "proof"), ("校外培训机构", "licence"),
        ("学前教育资助", "subsidy"), ("普通高中国家助学金", "subsidy"), ("义务教育阶段学生转学", "proof"),
        ("中等职业学校学历证明书", "card"), ("幼儿园", "filing"), ("生源地信用助学贷款", "subsidy")],
     ["教师资格证", "转学", "助学金", "入学", "培训机构", "学籍"]),
    ("SWJ", "税务局", True, [
        ("增值税发票", "card"), ("个人所得税", "proof"), ("纳税人", "entity"), ("税收完税证明", "proof"),
        ("增值税一般纳税人", "proof"), ("房产交易契税", "subsidy"), ("城乡居民社会保险费", "subsidy"),
        ("出口退(免)税", "filing"), ("跨区域涉税事项", "filing"), ("税务注销", "proof")],
     ["发票", "报税", "个税", "契税", "完税证明", "退税"]),
    ("NYNC", "农业农村局", False, [
        ("农药经营许可证", "licence"), ("兽药经营许可证", "licence"), ("种子生产经营许可证", "licence"),
        ("动物防疫条件合格证", "licence"), ("拖拉机和联合收割机驾驶证", "card"), ("拖拉机和联合收割机登记", "register"),
        ("农机购置补贴", "subsidy"), ("耕地地力保护补贴", "subsidy"), ("家庭农场", "filing"),
        ("生鲜乳收购许可证", "licence"), ("渔业捕捞许可证", "licence"), ("农村土地承包经营权", "proof")],
     ["农机补贴", "种粮补贴", "兽药", "农药", "土地承包", "家庭农场"]),
    ("STHJ", "生态环境局", True, [
        ("建设项目环境影响报告书", "approval"), ("建设项目环境影响报告表", "approval"), ("建设项目环境影响登记表", "filing"),
        ("排污许可证", "licence"), ("危险废物经营许可证", "licence"), ("辐射安全许可证", "licence"),
        ("突发环境事件应急预案", "filing"), ("固体废物转移", "approval")],
     ["环评", "排污许可", "危废", "环保"]),
    ("YJGL", "应急管理局", True, [
        ("危险化学品经营许可证", "licence"), ("烟花爆竹经营(零售)许可证", "licence"), ("非煤矿山安全生产许可", "licence"),
        ("特种作业操作证", "card"), ("生产安全事故应急预案", "filing"), ("建设项目安全设施设计审查", "approval"),
        ("第二类非药品类易制毒化学品生产", "filing")],
     ["危化品", "烟花爆竹", "安全生产", "特种作业证", "电工证", "焊工证"]),
    ("WGLY", "文化广电和旅游局", True, [
        ("娱乐场所经营许可证", "licence"), ("互联网上网服务营业场所经营许可证", "licence"), ("营业性演出许可证", "licence"),
        ("旅行社设立许可", "licence"), ("出版物零售", "licence"), ("印刷经营许可证", "licence"),
        ("卫星电视广播地面接收设施安装", "approval"), ("艺术品经营单位", "filing"), ("文物保护单位修缮", "approval")],
     ["网吧", "KTV", "演出", "旅行社", "书店", "印刷"]),
    ("SLJ", "水利局", True, [
        ("取水许可", "licence"), ("河道管理范围内建设项目工程建设方案", "approval"), ("生产建设项目水土保持方案", "approval"),
        ("洪水影响评价", "approval"), ("水利工程质量监督", "filing"), ("河道采砂许可", "licence")],
     ["取水", "水保", "采砂", "河道"]),
    ("SWJU", "商务局", True, [
        ("对外贸易经营者", "filing"), ("成品油零售经营", "licence"), ("单用途商业预付卡发卡企业", "filing"),
        ("报废机动车回收拆解企业资质", "licence"), ("二手车交易市场经营者", "filing"), ("拍卖企业", "filing")],
     ["外贸", "加油站", "预付卡", "报废车"]),
    ("CGJ", "城市管理局", True, [
        ("城市大型户外广告设置", "approval"), ("临时占用城市道路", "approval"), ("城市绿地树木砍伐迁移", "approval"),
        ("城市生活垃圾经营性清扫收集运输", "licence"), ("店招标牌设置", "filing"), ("建筑垃圾运输", "licence")],
     ["户外广告", "占道", "砍树", "门头", "渣土"]),
    ("TYJR", "退役军人事务局", True, [
        ("退役士兵自主就业一次性经济补助金", "benefit"), ("优待证", "card"), ("伤残抚恤关系", "proof"),
        ("烈士褒扬金", "benefit"), ("在乡复员军人定期生活补助", "benefit"), ("义务兵家庭优待金", "benefit"),
        ("退役军人", "proof")],
     ["当兵", "退伍", "优抚", "优待证", "烈士"]),
    ("CLH", "残疾人联合会", True, [
        ("残疾人证", "card"), ("残疾人辅助器具适配", "subsidy"), ("残疾儿童康复救助", "benefit"),
        ("残疾人职业技能培训", "subsidy"), ("残疾人就业创业扶持", "subsidy")],
     ["残疾证", "轮椅", "助听器", "康复"]),
    ("GJJ", "住房公积金管理中心", True, [
        ("住房公积金", "card"), ("住房公积金个人账户", "proof"), ("住房公积金单位缴存", "entity"),
        ("住房公积金个人住房贷款", "approval"), ("住房公积金提取", "subsidy"), ("住房公积金缴存证明", "proof")],
     ["公积金", "提取公积金", "公积金贷款", "买房"]),
    ("FGW", "发展和改革委员会", True, [
        ("企业投资项目", "filing"), ("政府投资项目可行性研究报告", "approval"), ("固定资产投资项目节能审查", "approval"),
        ("企业投资项目核准", "approval"), ("价格认定", "proof"), ("招标方案", "approval")],
     ["项目备案", "立项", "节能审查", "发改"]),
    ("SFJ", "司法局", True, [
        ("法律援助", "benefit"), ("公证", "proof"), ("人民调解", "proof"), ("律师执业", "licence"),
        ("基层法律服务工作者执业", "licence"), ("司法鉴定", "proof")],
     ["法律援助", "公证", "调解", "律师"]),
    ("LCJ", "林业局", False, [
        ("林木采伐许可证", "licence"), ("林草种子生产经营许可证", "licence"), ("使用林地", "approval"),
        ("陆生野生动物人工繁育许可证", "licence"), ("植物检疫证书", "card"), ("古树名木迁移", "approval")],
     ["砍树", "林地", "采伐证", "野生动物"]),
    ("XFJY", "消防救援大队", True, [
        ("公众聚集场所投入使用营业前消防安全检查", "approval"), ("消防产品现场检查", "proof"),
        ("火灾事故认定", "proof"), ("消防技术服务机构", "filing")],
     ["消防检查", "开业消防", "火灾认定"]),
    ("YCJ", "烟草专卖局", True, [
        ("烟草专卖零售许可证", "licence"), ("烟草专卖品准运证", "card")],
     ["烟草证", "卖烟"]),
    ("TJJ", "统计局", True, [("统计调查项目", "approval"), ("统计执法证", "card")], ["统计"]),
    ("QXJ", "气象局", True, [
        ("防雷装置设计审核", "approval"), ("防雷装置竣工验收", "approval"), ("升放无人驾驶自由气球或者系留气球活动", "approval"),
        ("雷电灾害鉴定", "proof")],
     ["防雷", "气球", "气象证明"]),
    ("CZJ", "财政局", True, [
        ("会计代理记账许可", "licence"), ("政府采购供应商", "filing"), ("财政票据", "card"), ("会计人员信息", "proof")],
     ["代理记账", "会计", "政府采购"]),
]

TOWNS = ["演集镇", "城厢镇", "侯岭乡", "黄口乡", "新桥镇", "双桥镇", "王集乡", "裴桥镇", "马桥镇", "薛湖镇", "蒋口镇",
         "陈集镇", "十八里镇", "太丘镇", "李寨镇", "苗桥镇", "顺和镇", "茴村镇", "酂城镇", "芒山镇", "条河镇", "刘河镇",
         "卧龙镇", "龙岗镇", "马牧镇", "高庄镇", "酂阳镇", "东城街道", "西城街道"]
TOWN_GROUPS = ("benefit", "card", "proof", "subsidy", "register")  # what a township 便民服务中心 handles itself
# 办理项: the variants an item is split into in the national list, e.g. 居民身份证申领（首次申领）.
QUALIFIERS = {
    "entity": ["内资", "外资", "简易程序", "一般程序"],
    "licence": ["新办", "告知承诺制", "跨省通办", "全程网办"],
    "card": ["首次申领", "到期换领", "损坏换领", "异地办理", "遗失补领"],
    "benefit": ["城镇", "农村", "个人申请", "单位申报"],
    "filing": ["房屋建筑工程", "市政基础设施工程", "告知承诺制"],
    "approval": ["房屋建筑工程", "市政基础设施工程", "容缺受理", "并联审批"],
    "proof": ["个人", "单位", "跨省通办"],
    "subsidy": ["个人申报", "单位申报", "免申即享"],
    "register": ["个人", "企业", "告知承诺制"],
}

TOPICS = [
    ("start-business", "我要开办企业", "legal_person", ["entity", "licence"]),
    ("cancel-business", "我要注销企业", "legal_person", ["entity"]),
    ("build", "我要办理工程建设项目", "legal_person", ["approval", "filing"]),
    ("restaurant", "我要开餐馆", "legal_person", ["licence"]),
    ("marry", "我要结婚", "natural_person", ["proof"]),
    ("baby", "我要生孩子", "natural_person", ["card", "proof"]),
    ("school", "我要上学", "natural_person", ["subsidy", "proof"]),
    ("job", "我要就业创业", "natural_person", ["subsidy", "card"]),
    ("retire", "我要退休", "natural_person", ["benefit"]),
    ("house", "我要买房", "natural_person", ["proof", "subsidy"]),
    ("car", "我要买车", "natural_person", ["card"]),
    ("move", "我要迁户口", "natural_person", ["proof"]),
    ("hardship", "我要申请救助", "natural_person", ["benefit"]),
    ("disability", "我是残疾人", "natural_person", ["benefit", "card"]),
    ("veteran", "我是退役军人", "natural_person", ["benefit"]),
    ("funeral", "我要办理身后事", "natural_person", ["subsidy", "proof"]),
]

COMMON_MATERIALS = [
    ("申请人居民身份证", "certificate", "both", "required", 1, "", "government", "原件查验，复印件1份"),
    ("授权委托书及受托人身份证明", "form", "paper", "optional", 1, "A4纸", "applicant", "委托他人办理时提供"),
    ("营业执照", "certificate", "both", "required", 0, "", "government", ""),
    ("法定代表人身份证明", "certificate", "paper", "required", 1, "", "applicant", ""),
    ("场所使用证明（房产证或租赁合同）", "other", "paper", "deferrable", 1, "A4纸", "applicant", "可容缺后补"),
    ("居民户口簿", "certificate", "paper", "required", 0, "", "government", "查验原件"),
    ("近期免冠证件照片", "other", "paper", "required", 2, "一寸白底", "applicant", ""),
    ("结婚证", "certificate", "paper", "optional", 0, "", "government", ""),
    ("银行卡或存折复印件", "other", "paper", "required", 1, "", "applicant", "本人名下一类账户"),
    ("承诺书", "form", "paper", "required", 1, "A4纸", "applicant", "本人签字"),
    ("相关技术资料", "other", "electronic", "required", 1, "PDF", "applicant", "加盖公章"),
    ("原证件", "certificate", "paper", "optional", 0, "", "government", "遗失的提供登报声明"),
]
ACTION_KEYWORDS = {"补领": ["补证", "丢了"], "补办": ["补证", "遗失"], "注销登记": ["注销"], "注销": ["注销"],
                   "延续": ["续期", "到期换证"], "申领": ["办证", "首次申领"], "换领": ["换证", "到期"],
                   "待遇申领": ["领钱", "待遇"], "证明开具": ["开证明"], "设立登记": ["新办", "开办"]}


def generate(n_items: int, seed: int) -> dict:
    """A kiosk-catalog/1 document with ``n_items`` items (deterministic for a seed)."""
    rng = random.Random(seed)
    departments, windows, dept_windows = [], [], {}
    zones = ["一楼A区", "一楼B区", "一楼C区", "二楼D区", "二楼E区", "三楼F区"]
    for position, (code, name, in_center, _matters, _kw) in enumerate(DEPARTMENTS):
        zone = zones[position % len(zones)]
        departments.append({
            "code": code, "name": f"永城市{name}",
            "address": f"永城市政务服务中心{zone}" if in_center else f"永城市{rng.choice(['东城区', '西城区'])}{rng.choice(['欧亚路', '沱滨路', '雪枫路', '光明路'])}{rng.randint(1, 300)}号",
            "phone": f"0370-51{rng.randint(10000, 99999)}", "in_center": in_center,
        })
        dept_windows[code] = []
        if in_center:
            letter = zone[2]
            for k in range(rng.randint(1, 6)):
                number = f"{letter}{position:02d}{k + 1}"
                windows.append({"number": number, "name": f"{name}业务窗口", "zone": zone, "department": code})
                dept_windows[code].append(number)
    for t, town in enumerate(TOWNS):
        departments.append({"code": f"T{t:02d}", "name": f"永城市{town}便民服务中心", "address": f"永城市{town}人民政府一楼",
                            "phone": f"0370-52{rng.randint(10000, 99999)}", "in_center": False})
        dept_windows[f"T{t:02d}"] = []
    topics = [{"code": c, "name": n, "audience": a} for c, n, a, _ in TOPICS]

    # County-level items first (department × matter × action, and its 办理项 variants), then
    # township implementations of the public-service items (same name, another 实施主体).
    county, town = [], []
    for d_index, (code, _name, _in, matters, kws) in enumerate(DEPARTMENTS):
        for m_index, (matter, group) in enumerate(matters):
            for a_index, (action, item_type) in enumerate(ACTIONS[group]):
                for q_index, qualifier in enumerate([""] + QUALIFIERS[group]):
                    basic = f"{d_index + 1:03d}{m_index + 1:03d}{a_index + 1:03d}{q_index:03d}"
                    name = f"{matter}{action}" + (f"（{qualifier}）" if qualifier else "")
                    entry = (code, matter, group, action, item_type, basic, kws, name)
                    county.append(entry)
                    if group in TOWN_GROUPS and not qualifier:
                        town.append(entry)
    rng.shuffle(county)
    chosen = [(entry, None) for entry in county[:n_items]]
    t = 0
    while len(chosen) < n_items:
        chosen.append((town[t % len(town)], t // len(town) % len(TOWNS)))
        t += 1
    rng.shuffle(chosen)

    items, seq = [], defaultdict(int)
    by_code = {d["code"]: d for d in departments}
    for (code, matter, group, action, item_type, basic, kws, name), town_index in chosen:
        dept = code if town_index is None else f"T{town_index:02d}"
        seq[dept] += 1
        in_center = by_code[dept]["in_center"]
        legal = rng.choice([0, 5, 10, 15, 20, 30, 60])
        promised = 0 if legal == 0 else rng.randint(0, legal)
        online = rng.random() < 0.6
        own_windows = dept_windows[dept]
        materials = []
        own = [f"{matter}{action}申请表", f"{matter}相关证明材料"]
        for i, mname in enumerate(own[: rng.randint(1, 2)]):
            materials.append({"name": mname, "type": "form" if i == 0 else "other", "form": rng.choice(["paper", "both"]),
                              "necessity": "required", "copies": 1, "spec": "A4纸", "source": "applicant",
                              "notes": "如实填写，本人签字" if i == 0 else ""})
        for m in rng.sample(COMMON_MATERIALS, rng.randint(1, 5)):
            materials.append(dict(zip(("name", "type", "form", "necessity", "copies", "spec", "source", "notes"), m)))
        keywords = rng.sample(kws, min(len(kws), rng.randint(0, 3))) + ACTION_KEYWORDS.get(action, [])[: rng.randint(0, 2)]
        item_code = f"{REGION}-{dept}-{seq[dept]:05d}"
        items.append({
            "code": item_code, "basic_code": basic, "version": "1", "name": name, "type": item_type,
            "department": dept, "audience": ["legal_person"] if group in ("entity", "licence", "approval", "filing") else
            rng.choice([["natural_person"], ["natural_person", "legal_person"]]),
            "basis": f"《{rng.choice(['中华人民共和国行政许可法', '国务院对确需保留的行政审批项目设定行政许可的决定', '河南省行政审批条例', '社会保险法', '个体工商户条例'])}》第{rng.randint(1, 80)}条",
            "conditions": f"符合{matter}{action}的法定条件，材料齐全、符合法定形式",
            "legal_limit": {"value": legal, "unit": "working_day", "note": ""},
            "promised_limit": {"value": promised, "unit": "working_day", "note": "材料齐全当场办结" if promised == 0 else ""},
            "visits": rng.choice([0, 1, 1, 1, 2]),
            "fee": {"charged": False, "standard": "不收费", "basis": ""} if rng.random() < 0.9 else
            {"charged": True, "standard": f"每件{rng.choice([5, 10, 20, 80])}元", "basis": "发改价格〔2019〕号"},
            "location": "" if in_center else by_code[dept]["address"],
            "hours": "周一至周五 8:30-12:00 14:30-17:30", "consult_phone": f"0370-51{rng.randint(10000, 99999)}",
            "complaint_phone": "12345",
            "online": {"supported": online, "pc_url": f"https://www.hnzwfw.gov.cn/item/{item_code}" if online else "",
                       "mobile_url": f"https://m.hnzwfw.gov.cn/item/{item_code}" if online and rng.random() < 0.7 else ""},
            "in_center": in_center, "self_service": rng.random() < 0.25,
            "windows": rng.sample(own_windows, min(len(own_windows), rng.randint(1, 2))) if own_windows else [],
            "procedure": ["申请", "受理", "审查", "决定", "送达"][: rng.randint(2, 5)],
            "faq": [{"q": f"办理{matter}{action}需要本人到场吗？", "a": "可委托他人代为办理。"}] if rng.random() < 0.3 else [],
            "topics": [c for c, _n, _a, groups in TOPICS if group in groups and rng.random() < 0.15][:2],
            "keywords": list(dict.fromkeys(keywords)),
            "materials": materials,
        })
    return {
        "format": exchange.FORMAT,
        "center": {"name": "永城市政务服务中心", "address": "永城市东城区欧亚路中段", "phone": "0370-5111234",
                   "hours": "周一至周五 8:30-12:00 14:30-17:30"},
        "departments": departments, "windows": windows, "topics": topics, "items": items,
    }


# --- queries ---------------------------------------------------------------------------------

NO_MATCH = ["火星签证", "qqxxzz", "zzzzqx", "9999999", "411481-nope", "xqwrt", "宇宙飞船驾驶证", "bbbbbbb"]
POPULAR = ["营业执照", "身份证", "社保卡", "公积金", "结婚", "医保", "驾驶证", "不动产", "低保", "护照",
           "食品经营", "消防验收", "补领", "注销", "备案", "养老保险", "残疾人证", "出生医学证明"]


def make_queries(document: dict, n: int, seed: int) -> list[tuple[str, str]]:
    """(kind, query) pairs mixing Chinese substrings, pinyin, spaced pinyin, initials and codes."""
    rng = random.Random(seed + 1)
    items = document["items"]
    kinds = ["chinese", "chinese", "pinyin", "pinyin spaced", "initials", "code", "code prefix", "keyword"]
    queries: list[tuple[str, str]] = []
    while len(queries) < n - len(NO_MATCH):
        kind = kinds[len(queries) % len(kinds)]
        item = rng.choice(items)
        name = item["name"]
        if kind == "chinese":
            if rng.random() < 0.3:
                q = rng.choice(POPULAR)
            else:
                size = rng.randint(2, min(6, len(name)))
                start = rng.randint(0, len(name) - size)
                q = name[start:start + size]
        elif kind in ("pinyin", "pinyin spaced"):
            source = rng.choice(POPULAR) if rng.random() < 0.3 else name[: rng.randint(2, min(6, len(name)))]
            syllables = search_text.syllables(source)
            if rng.random() < 0.3 and len(syllables) > 1:  # typed so far: the last syllable unfinished
                syllables[-1] = syllables[-1][: rng.randint(1, len(syllables[-1]))]
            q = (" " if kind == "pinyin spaced" else "").join(syllables)
        elif kind == "initials":
            _pinyin, initials = search_text.name_readings(name)
            size = rng.randint(2, min(6, len(initials)))
            start = 0 if rng.random() < 0.7 else rng.randint(0, len(initials) - size)
            q = initials[start:start + size]
        elif kind == "code":
            q = item["code"] if rng.random() < 0.7 else item["code"].lower()
        elif kind == "code prefix":
            code = item["code"]
            q = code[: rng.choice([7, len(code) - 5, len(code) - 3, len(code) - 1])]
        else:
            if not item["keywords"]:
                continue
            q = rng.choice(item["keywords"])
        queries.append((kind, q))
    queries += [("no match", q) for q in NO_MATCH]
    rng.shuffle(queries)
    return queries


# --- measuring -------------------------------------------------------------------------------


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    rank = max(1, min(len(sorted_values), round(p / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def time_queries(index: CatalogIndex, queries: list[tuple[str, str]], rounds: int):
    """Every query ``rounds`` times; returns {(kind, query): [ms, …]} in query order."""
    timings: dict[tuple[str, str], list[float]] = {}
    for _ in range(rounds):
        for kind, q in queries:
            start = time.perf_counter_ns()
            index.search(q)
            timings.setdefault((kind, q), []).append((time.perf_counter_ns() - start) / 1e6)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=20000, help="catalog size (default 20000)")
    parser.add_argument("--queries", type=int, default=400, help="number of distinct queries (default 400)")
    parser.add_argument("--rounds", type=int, default=5, help="times every query is timed (default 5)")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the generated catalog and queries")
    parser.add_argument("--profile", action="store_true", help="also print where search time goes (cProfile)")
    args = parser.parse_args(argv)
    if args.items < 1 or args.queries < len(NO_MATCH) + 1 or args.rounds < 1:
        parser.error(f"--items and --rounds must be ≥ 1, --queries ≥ {len(NO_MATCH) + 1}")

    print(f"catalog benchmark: {args.items} items, {args.queries} queries × {args.rounds} rounds, seed {args.seed}")
    print(f"machine: {machine_summary()}")
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        document = generate(args.items, args.seed)
        path = tmp / "catalog.json"
        path.write_text(exchange.dumps(document), encoding="utf-8")
        n_materials = sum(len(i["materials"]) for i in document["items"])
        print(f"\ngenerated {path.name}: {len(document['items'])} items, {n_materials} materials, "
              f"{len(document['departments'])} departments, {len(document['windows'])} windows, "
              f"{len({i['name'] for i in document['items']})} distinct names, "
              f"{path.stat().st_size / 1e6:.1f} MB ({time.perf_counter() - t0:.1f} s)")
        queries = make_queries(document, args.queries, args.seed)
        del document

        database = Database("sqlite:///" + str(tmp / "kiosk.sqlite3"))
        database.upgrade()
        t0 = time.perf_counter()
        data = exchange.read_file(path)
        t_read = time.perf_counter() - t0
        t0 = time.perf_counter()
        with database.session() as session:
            summary = exchange.apply(session, data)
        t_apply = time.perf_counter() - t0
        del data
        db_bytes = sum(f.stat().st_size for f in tmp.glob("kiosk.sqlite3*"))  # with the WAL file
        print("\nimport (exchange.read_file + exchange.apply in one session; SQLite file)")
        print(f"  read + validate     {t_read:8.2f} s")
        print(f"  apply + commit      {t_apply:8.2f} s   ({summary})")
        print(f"  total               {t_read + t_apply:8.2f} s   ({args.items / (t_read + t_apply):.0f} items/s)")
        print(f"  database size       {db_bytes / 1e6:8.1f} MB")

        # Memory first, in a load under tracemalloc (which slows it, so it is not the timed one):
        # what the index keeps, and the peak while loading (ORM rows included).
        gc.collect()
        tracemalloc.start()
        with database.session() as session:
            index = CatalogIndex.load(session)
        gc.collect()
        retained, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del index
        gc.collect()
        t0 = time.perf_counter()
        with database.session() as session:
            index = CatalogIndex.load(session)
        t_load = time.perf_counter() - t0
        gc.collect()
        print("\nindex build (CatalogIndex.load)")
        print(f"  time                {t_load:8.2f} s   ({len(index)} items)")
        print(f"  memory kept         {retained / 2**20:8.1f} MiB (tracemalloc: allocated by the load and still held)")
        print(f"  memory peak         {peak / 2**20:8.1f} MiB (tracemalloc: during the load)")

        time_queries(index, queries, 2)  # warm-up
        timings = time_queries(index, queries, args.rounds)
        all_ms = sorted(ms for values in timings.values() for ms in values)
        per_query = sorted(statistics.median(values) for values in timings.values())
        p99 = percentile(all_ms, 99)
        empty = sum(1 for _kind, q in queries if not index.search(q))
        print(f"\nsearch latency (index.search(q), limit 20, time.perf_counter_ns; {len(all_ms)} timed calls = "
              f"{len(queries)} queries × {args.rounds}; {empty} queries find nothing)")
        print(f"  {'kind':14} {'n':>4} {'median ms':>10} {'p99 ms':>8} {'max ms':>8}  example")
        for kind in sorted({k for k, _q in queries}):
            values = sorted(ms for (k, _q), v in timings.items() if k == kind for ms in v)
            example = next(q for k, q in queries if k == kind)
            print(f"  {kind:14} {len(values) // args.rounds:4d} {statistics.median(values):10.3f} "
                  f"{percentile(values, 99):8.3f} {values[-1]:8.3f}  {example!r}")
        print(f"  {'all':14} {len(queries):4d} {statistics.median(all_ms):10.3f} {p99:8.3f} {all_ms[-1]:8.3f}")
        print(f"  p99 of each query's median over the rounds (less scheduler noise): {percentile(per_query, 99):.3f} ms")
        slowest = sorted(((statistics.median(v), k, q) for (k, q), v in timings.items()), reverse=True)[:6]
        print("  slowest queries (median): " + ", ".join(f"{q!r} ({k}) {ms:.2f} ms" for ms, k, q in slowest))
        print(f"\nprocess max RSS       {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:7.0f} MiB "
              "(whole run: generated document, import and index)")

        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            time_queries(index, queries, args.rounds)
            profiler.disable()
            print("\nwhere search time goes (cProfile, by own time):")
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(12)

        verdict = "PASS" if p99 < TARGET_P99_MS else "MISS"
        print(f"\nRESULT search p99 {p99:.3f} ms (median {statistics.median(all_ms):.3f} ms), "
              f"target < {TARGET_P99_MS:g} ms: {verdict}; import {t_read + t_apply:.1f} s; index {t_load:.2f} s, "
              f"{retained / 2**20:.0f} MiB")
        database.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
