import Mustache

// The values templates repeat per row answer their fields by name: Mustache's default, a
// Mirror per lookup, took half the time of a 5,000-engagement report.

extension ReportPage.CaseRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "engagement": engagement
        case "company": company
        case "products": products
        case "engineer": engineer
        case "fields": fields
        case "period": period
        case "status": status
        case "sessions": sessions
        case "hours": hours
        case "outcomes": outcomes
        case "trade": trade
        case "patterns": patterns
        default: nil
        }
    }
}

extension ReportPage.PatternCase: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "engagement": engagement
        case "company": company
        case "flows": flows
        case "outcomes": outcomes
        default: nil
        }
    }
}

extension ReportPage.Flow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "direction": direction
        case "period": period
        case "product": product
        case "counterparty": counterparty
        case "value": value
        default: nil
        }
    }
}

extension ReportPage.Outcome: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "date": date
        case "kind": kind
        case "description": description
        default: nil
        }
    }
}

extension ReportPage.TableRow: MustacheParent {
    func child(named name: String) -> Any? { name == "cells" ? cells : nil }
}

extension ReportPage.TableCell: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "text": text
        case "numeric": numeric
        default: nil
        }
    }
}

extension ReportPage.Cell: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "series": series
        case "value": value
        case "text": text
        default: nil
        }
    }
}

extension ReportPage.DataRow: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "cells": cells
        default: nil
        }
    }
}

extension BarChart.Bar: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "x": x
        case "y": y
        case "width": width
        case "height": height
        case "series": series
        case "category": category
        case "value": value
        case "text": text
        case "style": style
        default: nil
        }
    }
}
