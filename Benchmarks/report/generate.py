# A program of N engagements (default 5,000) as `shido import` lines: 500 companies in 15
# industries, 300 engineers, each engagement with two sessions, an outcome, most with a trade
# flow (JPY, KRW or USD), a third completed. Seeded: the same file every run.
import json, random, sys
random.seed(7)
n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
industries = ["금형", "화학", "전자 소재", "기계 부품", "정밀화학", "디스플레이 소재", "프린터 부품", "건축 자재", "전력 기자재", "냉동 공조", "계측 장비", "환경 감시 장비", "자동차 부품", "섬유", "식품 기계"]
kinds = ["defectRate", "costReduction", "salesGrowth", "productivity", "newProduct", "localisation", "certification", "skills", "qualityStandard", "marketIntelligence"]
out = []
for c in range(500):
    out.append({"command": "registerCompany", "body": {"code": f"C{c:04d}", "name": f"{chr(0xAC00 + c)}기업 주식회사 ({c})", "industry": industries[c % len(industries)], "products": [f"제품 {c}-1", f"部品 {c}"]}})
for e in range(300):
    out.append({"command": "registerEngineer", "body": {"engineerID": f"eng-{e:03d}", "name": f"山田 {chr(0x4E00 + e)}郎", "specialty": "金型設計", "career": "製造業で40年"}})
for i in range(n):
    year = 2010 + i % 16
    eid = f"e{i:05d}"
    out.append({"command": "startEngagement", "body": {"engagementID": eid, "companyCode": f"C{i % 500:04d}", "engineerID": f"eng-{i % 300:03d}", "guidanceFields": ["금형 설계", "품질 관리"], "goals": ["costReduction"], "startDate": f"{year}-04-01", "plannedEndDate": f"{year+1}-03-31", "programYear": year}})
    for s in range(2):
        out.append({"command": "logSession", "engagementID": eid, "body": {"sessionID": f"s{s}", "date": f"{year}-0{5+s}-10", "hours": 4.5, "topic": "냉각 채널 検討", "format": "onSite", "attendees": 3}})
    out.append({"command": "reportOutcome", "engagementID": eid, "body": {"outcomeID": "o1", "date": f"{year}-12-01", "kind": kinds[i % len(kinds)], "description": "불량률 감소, 原価低減", "evidence": "selfAssessed"}})
    if i % 7 != 0:
        d = random.choice(["koreaToJapan", "japanToKorea"])
        cur = random.choice(["JPY", "JPY", "KRW", "USD"])
        out.append({"command": "recordExport", "engagementID": eid, "body": {"tradeID": "t1", "direction": d, "period": {"month": f"{min(year+1, 2026)}-01"}, "counterparty": "株式会社サンプル", "product": "사출 금형", "value": {"amount": str(random.randint(1, 900) * 10000), "currency": cur}}})
    if i % 3 == 0:
        out.append({"command": "completeEngagement", "engagementID": eid, "body": {"date": f"{year+1}-03-31", "summary": "완료"}})
print("\n".join(json.dumps(x, ensure_ascii=False) for x in out))
