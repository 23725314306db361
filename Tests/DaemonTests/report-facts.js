// Injected by ReportTests into a copy of a report: reads what the browser laid out and
// leaves it as JSON in <pre id="test-facts"> for `chromium --dump-dom`.
(() => {
  const width = window.innerWidth;
  const text = (el) => (el ? el.textContent.replace(/\s+/g, " ").trim() : "");
  const all = [...document.body.querySelectorAll("*")];
  const facts = {
    width,
    scrollWidth: document.documentElement.scrollWidth,
    overflowing: all
      .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5); })
      .map((el) => `${el.tagName}.${el.getAttribute("class") || ""} ${text(el).slice(0, 40)}`),
    facts: Object.fromEntries([...document.querySelectorAll("[data-fact]")].map((el) => [el.dataset.fact, text(el.querySelector("dd"))])),
    checkpoint: text(document.getElementById("checkpoint")),
    caseRows: [...document.querySelectorAll("#cases tbody tr")].map((tr) => ({
      engagement: tr.dataset.engagement, company: text(tr.querySelector(".name")), cells: tr.cells.length,
    })),
    patterns: Object.fromEntries([...document.querySelectorAll("section.pattern")].map((s) => [
      s.dataset.pattern, [...s.querySelectorAll("tr[data-engagement]")].map((tr) => tr.dataset.engagement),
    ])),
    headline: Object.fromEntries([...document.querySelectorAll("[data-measure]")].map((el) => [el.dataset.measure, el.dataset.value])),
    charts: Object.fromEntries([...document.querySelectorAll("figure[data-chart]")].map((f) => [f.dataset.chart, {
      horizontal: f.dataset.chart === "industries",
      bars: [...f.querySelectorAll("rect[data-value]")].map((r) => {
        const box = r.getBoundingClientRect();
        return { series: r.dataset.series, category: r.dataset.category, value: r.dataset.value, width: box.width, height: box.height };
      }),
      table: [...f.querySelectorAll("tbody tr")].map((tr) => ({
        category: text(tr.querySelector("th")),
        cells: Object.fromEntries([...tr.querySelectorAll("td")].map((td) => [td.dataset.series, td.dataset.value])),
      })),
      described: text(f.querySelector("svg desc")).length > 0,
    }])),
  };
  const pre = document.createElement("pre");
  pre.id = "test-facts";
  pre.textContent = JSON.stringify(facts);
  document.body.appendChild(pre);
})();
