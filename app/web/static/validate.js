// The validation page: send the chosen files to POST /v1/validate/batch (as a job), poll the job and
// fill the table in as documents finish; reports are downloaded from the results held here.
// Every text from a file or a report is put in the page with textContent, never as HTML.
(() => {
  "use strict";

  const T = JSON.parse(document.getElementById("i18n").textContent);
  const CONFIG = JSON.parse(document.getElementById("config").textContent);
  const POLL_MS = 300;
  const PDF_DOCUMENTS = new Set(["Invoice", "CreditNote"]);
  const $ = (id) => document.getElementById(id);
  // our hints in the page's language (the official rule texts stay as published)
  const HINTS = CONFIG.hints || {};
  const hintText = (hint) => (hint ? HINTS[hint] || hint : "");
  const documentType = (root) => (root ? T[`doctype_${root}`] || root : "");
  const fmt = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));

  let run = 0; // increments with each upload, so a stale poll never writes into a newer table
  let rows = []; // {name, file: File|null, archive: File|null, entry: string|null, result, tr, detail}
  let filter = "all"; // all | invalid | warnings

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  // -- choosing files ---------------------------------------------------------------------------
  const input = $("files");
  const drop = $("drop");
  input.addEventListener("change", () => {
    if (input.files && input.files.length) start(Array.from(input.files));
    input.value = "";
  });
  for (const type of ["dragenter", "dragover"]) {
    drop.addEventListener(type, (event) => {
      event.preventDefault();
      drop.classList.add("over");
    });
  }
  for (const type of ["dragleave", "drop"]) {
    drop.addEventListener(type, (event) => {
      event.preventDefault();
      drop.classList.remove("over");
    });
  }
  drop.addEventListener("drop", (event) => {
    const files = Array.from(event.dataTransfer?.files || []);
    if (files.length) start(files);
  });

  // -- upload and poll --------------------------------------------------------------------------
  function start(files) {
    run += 1;
    const mine = run;
    rows = [];
    $("rows").replaceChildren();
    $("filter-none").hidden = true;
    $("problem").hidden = true;
    $("results").hidden = false;
    setButtons(false);
    counts();
    const form = new FormData();
    for (const file of files) form.append("files", file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", CONFIG.batchUrl);
    xhr.setRequestHeader("Prefer", "respond-async");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.responseType = "json";
    xhr.upload.addEventListener("progress", (event) => {
      if (mine !== run || !event.lengthComputable) return;
      const pct = Math.floor((100 * event.loaded) / event.total);
      status(fmt(T.uploading, { pct }), pct / 100);
    });
    xhr.addEventListener("load", () => {
      if (mine !== run) return;
      const body = xhr.response || {};
      if (xhr.status === 200 || xhr.status === 202) {
        accept(body, files);
        if (body.status === "running" && body.id) poll(mine, `${CONFIG.batchUrl}/${encodeURIComponent(body.id)}`);
      } else {
        refused(body, xhr.status);
      }
    });
    xhr.addEventListener("error", () => mine === run && refused({ title: T.network_error }, 0));
    status(fmt(T.uploading, { pct: 0 }), 0);
    xhr.send(form);
  }

  function poll(mine, url) {
    if (mine !== run) return;
    fetch(`${url}?since=${rows.filter((r) => r.result).length}`, { headers: { Accept: "application/json" } })
      .then((response) => response.json().then((body) => ({ ok: response.ok, status: response.status, body })))
      .then(({ ok, status: code, body }) => {
        if (mine !== run) return;
        if (!ok) return refused(body, code);
        addResults(body.files || []);
        if (body.status === "running") setTimeout(() => poll(mine, url), POLL_MS);
        else finish();
      })
      .catch(() => mine === run && refused({ title: T.network_error }, 0));
  }

  // The server names every document in upload order: a plain file is one name, an archive one per entry
  // ("archive.zip!inner/path.xml"; the archive is kept to take the entry out for its PDF).
  function accept(body, files) {
    const names = body.names || [];
    let position = 0;
    const fileFor = new Array(names.length).fill(null);
    const archiveFor = new Array(names.length).fill(null);
    for (const file of files) {
      if (/\.zip$/i.test(file.name)) {
        while (position < names.length && names[position].startsWith(`${file.name}!`)) {
          archiveFor[position] = file;
          position += 1;
        }
      } else if (position < names.length) {
        if (names[position] === file.name) fileFor[position] = file;
        position += 1;
      }
    }
    rows = names.map((name, index) => ({
      name,
      file: fileFor[index],
      archive: archiveFor[index],
      entry: archiveFor[index] ? name.slice(archiveFor[index].name.length + 1) : null,
      result: null,
      tr: null,
      detail: null,
    }));
    const tbody = $("rows");
    for (const [index, row] of rows.entries()) {
      row.tr = pendingRow(index, row.name);
      tbody.append(row.tr);
    }
    addResults(body.files || []);
    if (body.status !== "running") finish();
  }

  function addResults(results) {
    for (const result of results) {
      const row = rows[result.index];
      if (!row || row.result) continue;
      row.result = result;
      const tr = resultRow(result.index, row);
      row.tr.replaceWith(tr);
      row.tr = tr;
    }
    counts();
    applyFilter();
  }

  // -- the filter: all / not valid / with warnings ------------------------------------------------
  function matches(row) {
    if (filter === "all") return true;
    if (!row.result) return false; // not known yet
    if (filter === "invalid") return verdict(row.result) !== "valid";
    return (row.result.counts?.warning || 0) > 0;
  }

  function applyFilter() {
    let shown = 0;
    for (const row of rows) {
      const show = matches(row);
      if (row.tr) row.tr.hidden = !show;
      if (row.detail) row.detail.hidden = !show;
      if (show) shown += 1;
    }
    $("filter-none").hidden = rows.length === 0 || shown > 0;
  }

  for (const button of document.querySelectorAll(".filter-button")) {
    button.addEventListener("click", () => {
      filter = button.dataset.filter;
      for (const other of document.querySelectorAll(".filter-button")) {
        other.setAttribute("aria-pressed", String(other === button));
      }
      $("results").dataset.filter = filter;
      applyFilter();
    });
  }

  function counts() {
    const done = rows.filter((r) => r.result);
    const valid = done.filter((r) => r.result.valid).length;
    $("count-total").textContent = String(rows.length);
    $("count-valid").textContent = String(valid);
    $("count-invalid").textContent = String(done.length - valid);
    if (rows.length) status(fmt(T.validating, { done: done.length, total: rows.length }), done.length / rows.length);
    return { done: done.length, valid };
  }

  function finish() {
    const { done, valid } = counts();
    status(fmt(T.finished, { valid, invalid: done - valid, total: rows.length }), 1);
    $("results").dataset.state = "done";
    setButtons(true);
  }

  function status(text, fraction) {
    $("status").textContent = text;
    $("progress-bar").style.width = `${Math.round(100 * Math.max(0, Math.min(1, fraction)))}%`;
  }

  function setButtons(enabled) {
    $("download-json").disabled = !enabled;
    $("download-csv").disabled = !enabled;
    $("results").dataset.state = enabled ? "done" : "running";
  }

  function refused(body, code) {
    $("results").hidden = rows.length === 0;
    const box = $("problem");
    $("problem-title").textContent = body.title ? `${T.refused}: ${body.title}` : T.refused;
    const list = $("problem-issues");
    list.replaceChildren();
    for (const issue of body.issues || []) {
      list.append(
        el(
          "li",
          {},
          el("code", { text: issue.code }),
          " ",
          issue.value ? el("span", { class: "mono", text: `${issue.value}: ` }) : null,
          issue.message,
          issue.hint ? el("div", { class: "hint", text: hintText(issue.hint) }) : null,
        ),
      );
    }
    box.dataset.status = String(code);
    box.hidden = false;
    status("", 0);
  }

  // -- rows -------------------------------------------------------------------------------------
  function fileCell(name) {
    const bang = name.indexOf("!");
    if (bang < 0) {
      return el("td", { class: "file", title: name, "data-label": T.col_file }, el("span", { class: "file-name", text: name }));
    }
    return el(
      "td",
      { class: "file", title: name, "data-label": T.col_file },
      el("span", { class: "file-name", text: name.slice(bang + 1) }),
      el("span", { class: "file-archive", text: name.slice(0, bang) }),
    );
  }

  function pendingRow(index, name) {
    return el(
      "tr",
      { class: "row pending", "data-index": index, "data-verdict": "pending" },
      el("td", { class: "num muted index", text: String(index + 1) }),
      fileCell(name),
      el("td", { class: "muted", "data-label": T.col_ruleset, text: "…" }),
      el("td", { class: "muted doctype", "data-label": T.col_document, text: "…" }),
      el("td", { class: "verdict", "data-label": T.col_verdict }, el("span", { class: "badge pending", text: T.verdict_pending })),
      el("td", { class: "num muted", "data-label": T.col_errors, text: "" }),
      el("td", { class: "num muted", "data-label": T.col_warnings, text: "" }),
      el("td", { class: "actions-col" }),
    );
  }

  // the report's own verdict (app/validation/report.py), the same as the CLI's and the API's
  function verdict(result) {
    if (["valid", "invalid", "unreadable"].includes(result.verdict)) return result.verdict;
    return result.valid ? "valid" : "invalid";
  }

  // ruleset.unsupported: no installed rule set checks the document (only its XSD ran); not valid, as in
  // the CLI and the API, with a label of its own.
  function unsupported(result) {
    return (result.stages || []).some((s) => s.name === "ruleset" && s.detail === "unsupported");
  }

  function resultRow(index, row) {
    const result = row.result;
    const kind = verdict(result);
    const errors = (result.counts?.fatal || 0) + (result.counts?.error || 0);
    const warnings = result.counts?.warning || 0;
    const actions = el("td", { class: "actions-col" });
    if (result.issues && result.issues.length) {
      const toggle = el("button", {
        class: "link details-toggle",
        type: "button",
        "aria-expanded": "false",
        text: T.details,
        onclick: () => toggleDetails(row, toggle),
      });
      actions.append(toggle);
    }
    if (CONFIG.renderUrl && result.valid && (row.file || row.archive) && PDF_DOCUMENTS.has(result.document)) {
      actions.append(
        el("button", {
          class: "button small pdf",
          type: "button",
          title: T.download_pdf_title,
          text: T.download_pdf,
          onclick: (event) => downloadPdf(row, event.currentTarget),
        }),
      );
    }
    const label = T.col_ruleset;
    const ruleset = result.ruleset
      ? el("td", { class: "ruleset", "data-label": label }, el("span", {}, result.ruleset, " ", el("span", { class: "muted", text: result.release || "" })))
      : el("td", { class: "ruleset muted", "data-label": label, text: "—" });
    return el(
      "tr",
      {
        class: `row ${kind}`,
        "data-index": index,
        "data-verdict": kind,
        "data-valid": String(result.valid),
        "data-warnings": String(warnings),
      },
      el("td", { class: "num muted index", text: String(index + 1) }),
      fileCell(row.name),
      ruleset,
      el("td", { class: "doctype", "data-label": T.col_document, text: documentType(result.document) || "—" }),
      el("td", { class: "verdict", "data-label": T.col_verdict }, el("span", { class: `badge ${kind}`, text: unsupported(result) ? T.verdict_unsupported : T[`verdict_${kind}`] })),
      el("td", { class: `num ${errors ? "bad-text" : "muted"}`, "data-label": T.col_errors, text: String(errors) }),
      el("td", { class: `num ${warnings ? "warn-text" : "muted"}`, "data-label": T.col_warnings, text: String(warnings) }),
      actions,
    );
  }

  function toggleDetails(row, button) {
    if (row.detail) {
      row.detail.remove();
      row.detail = null;
      button.textContent = T.details;
      button.setAttribute("aria-expanded", "false");
      return;
    }
    row.detail = detailRow(row.result);
    row.detail.hidden = !matches(row);
    row.tr.after(row.detail);
    button.textContent = T.hide;
    button.setAttribute("aria-expanded", "true");
  }

  function detailRow(result) {
    const issues = result.issues || [];
    const body = el("tbody");
    for (const issue of issues) {
      const where = [];
      if (issue.xpath) where.push(el("div", { class: "mono small muted", text: issue.xpath }));
      if (issue.value) where.push(el("div", { class: "small" }, `${T.issue_value}: `, el("code", { text: issue.value })));
      if (issue.found) where.push(el("div", { class: "small found" }, `${T.issue_found}: `, el("code", { text: issue.found })));
      if (issue.expected) {
        where.push(el("div", { class: "small expected" }, `${T.issue_expected}: `, el("code", { text: issue.expected })));
      }
      body.append(
        el(
          "tr",
          { class: `issue ${issue.severity}`, "data-code": issue.code },
          el("td", { "data-label": T.issue_severity }, el("span", { class: `sev ${issue.severity}`, text: T[`sev_${issue.severity}`] || issue.severity })),
          el("td", { class: "mono", "data-label": T.issue_code }, el("strong", { text: issue.code })),
          el("td", { class: "num", "data-label": T.issue_line, text: issue.line ? String(issue.line) : "—" }),
          el("td", { class: "message", "data-label": T.issue_message }, el("div", { text: issue.message }), ...where),
          el("td", { class: "hint", "data-label": T.issue_hint, text: hintText(issue.hint) }),
        ),
      );
    }
    const table = issues.length
      ? el(
          "table",
          { class: "issues" },
          el(
            "thead",
            {},
            el(
              "tr",
              {},
              el("th", { text: T.issue_severity }),
              el("th", { text: T.issue_code }),
              el("th", { class: "num", text: T.issue_line }),
              el("th", { text: T.issue_message }),
              el("th", { text: T.issue_hint }),
            ),
          ),
          body,
        )
      : el("p", { class: "muted", text: T.no_issues });
    // every line of the report names the rule set and release it was checked with
    const applied = result.ruleset ? fmt(T.rules_applied, { ruleset: `${result.ruleset} ${result.release || ""}`.trim() }) : null;
    const caption = applied ? el("p", { class: "applied small muted", text: applied }) : null;
    return el("tr", { class: "detail" }, el("td", { colspan: "8" }, caption, table));
  }

  // -- downloads --------------------------------------------------------------------------------
  function save(blob, name) {
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: name, class: "visually-hidden" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function results() {
    return rows.filter((r) => r.result).map((r) => r.result);
  }

  $("download-json").addEventListener("click", () => {
    const text = `${JSON.stringify(results(), null, 1)}\n`;
    save(new Blob([text], { type: "application/json" }), "nordubl-report.json");
  });

  // RFC 4180 fields that no spreadsheet reads as a formula (OWASP "CSV injection"): a cell starting with
  // = + - @, tab or carriage return gets a leading ' and is quoted. A reader that splits lines at ";" (a
  // semicolon locale), at tabs or at line breaks makes a cell of whatever follows such a separator inside
  // the text, so a formula character there (after optional quotes and spaces) gets its ' too.
  const FORMULA_START = /^[=+\-@\t\r]/;
  const FORMULA_AFTER_SEPARATOR = /([,;\t\r\n][ "']*)(?=[=+\-@\t\r])/g;
  function csvField(value) {
    let text = value === null || value === undefined ? "" : String(value);
    text = text.replace(FORMULA_AFTER_SEPARATOR, "$1'");
    if (FORMULA_START.test(text)) text = `'${text}`;
    return /^'|[",;\t\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }

  // The CSV in the page's language: its separator (";" where the decimal separator is ","), translated
  // headers, document types, severities and true/false; rule ids, XPaths, values and the official rule
  // texts as they are.
  $("download-csv").addEventListener("click", () => {
    const sep = CONFIG.csvSeparator || ",";
    const head = [
      "file", "valid", "ruleset", "release", "document", "severity", "code", "line", "xpath", "value", "message", "hint", "found", "expected",
    ];
    const lines = [head.map((name) => csvField(T[`csv_${name}`] || name)).join(sep)];
    for (const r of results()) {
      const verdict = r.valid ? T.csv_true : T.csv_false;
      const base = [r.file, verdict, r.ruleset, r.release, documentType(r.document)];
      const issues = r.issues && r.issues.length ? r.issues : [{}];
      for (const i of issues) {
        const severity = i.severity ? T[`csv_${i.severity}`] || i.severity : "";
        const fields = [...base, severity, i.code, i.line, i.xpath, i.value, i.message, hintText(i.hint), i.found, i.expected];
        lines.push(fields.map(csvField).join(sep));
      }
    }
    save(new Blob([`\ufeff${lines.join("\r\n")}\r\n`], { type: "text/csv;charset=utf-8" }), "nordubl-report.csv");
  });

  // One entry of a zip archive the user chose, for its PDF. Hand-written (the page loads no library):
  // the end-of-central-directory record and the central directory give the entry's local header
  // (APPNOTE.TXT 4.3.16, 4.3.12, 4.3.7); the browser's DecompressionStream inflates it (method 8), a stored
  // entry (method 0) is taken as it is. The server checked the archive when it validated the entry.
  async function zipEntry(archive, name) {
    const bytes = new DataView(await archive.arrayBuffer());
    const size = bytes.byteLength;
    let end = -1;
    for (let at = size - 22; at >= Math.max(0, size - 22 - 0xffff); at -= 1) {
      if (bytes.getUint32(at, true) === 0x06054b50) {
        end = at;
        break;
      }
    }
    if (end < 0) throw new Error("not a zip archive");
    const count = bytes.getUint16(end + 10, true);
    let at = bytes.getUint32(end + 16, true);
    const decoder = new TextDecoder();
    for (let n = 0; n < count && at + 46 <= size && bytes.getUint32(at, true) === 0x02014b50; n += 1) {
      const method = bytes.getUint16(at + 10, true);
      const compressed = bytes.getUint32(at + 20, true);
      const nameLength = bytes.getUint16(at + 28, true);
      const skip = nameLength + bytes.getUint16(at + 30, true) + bytes.getUint16(at + 32, true);
      const local = bytes.getUint32(at + 42, true);
      const entryName = decoder.decode(new Uint8Array(bytes.buffer, at + 46, nameLength));
      // the server cuts an entry's name to 255 characters (app/batch/loader.py MAX_NAME)
      if (entryName === name || (name.length === 255 && entryName.slice(0, 255) === name)) {
        const start = local + 30 + bytes.getUint16(local + 26, true) + bytes.getUint16(local + 28, true);
        const data = archive.slice(start, start + compressed);
        if (method === 0) return data;
        if (method === 8) return new Response(data.stream().pipeThrough(new DecompressionStream("deflate-raw"))).blob();
        throw new Error(`compression method ${method}`);
      }
      at += 46 + skip;
    }
    throw new Error(`${name}: not found in the archive`);
  }

  async function documentOf(row) {
    if (row.file) return { body: row.file, name: row.file.name };
    const body = await zipEntry(row.archive, row.entry);
    return { body, name: row.entry.split("/").pop() };
  }

  function downloadPdf(row, button) {
    button.disabled = true;
    documentOf(row)
      .then(({ body, name }) =>
        fetch(`${CONFIG.renderUrl}?lang=${encodeURIComponent(CONFIG.lang)}`, {
          method: "POST",
          headers: { "Content-Type": "application/xml", "X-Filename": encodeURIComponent(name) },
          body,
        }).then(async (response) => {
          if (!response.ok) {
            const problem = await response.json().catch(() => ({}));
            throw new Error(problem.title || `HTTP ${response.status}`);
          }
          save(await response.blob(), `${name.replace(/\.xml$/i, "")}.pdf`);
        }),
      )
      .catch((error) => refused({ title: fmt(T.pdf_failed, { reason: error.message }) }, 0))
      .finally(() => {
        button.disabled = false;
      });
  }
  // -- an account's stored documents (GET /v1/documents with HTTP Basic) --------------------------
  // The credentials stay in this closure; requests carry them in their own Authorization header with
  // credentials "omit", so the browser neither keeps them nor asks for a password on a 401.
  const accountForm = $("account-form");
  let authorization = null;

  function authorized(url) {
    return fetch(url, { headers: { Authorization: authorization, Accept: "application/json" }, credentials: "omit" });
  }

  async function problemText(response) {
    const body = await response.json().catch(() => ({}));
    const issue = (body.issues || [])[0];
    return issue ? issue.message : body.title || `HTTP ${response.status}`;
  }

  function accountError(text) {
    const box = $("account-error");
    box.textContent = text || "";
    box.hidden = !text;
  }

  function selectedDocuments() {
    return Array.from(document.querySelectorAll("#documents-rows input[type=checkbox]:checked"));
  }

  function updateDocumentButton() {
    $("validate-documents").disabled = selectedDocuments().length === 0;
  }

  async function showDocuments() {
    accountError("");
    let response;
    try {
      response = await authorized(`${CONFIG.documentsUrl}?limit=1000`);
    } catch {
      return accountError(T.network_error);
    }
    if (!response.ok) {
      $("account-documents").hidden = true;
      return accountError(fmt(T.sign_in_failed, { reason: await problemText(response) }));
    }
    const page = await response.json();
    const tbody = $("documents-rows");
    tbody.replaceChildren();
    for (const doc of page.items || []) {
      const name = `${doc.kind}-${doc.number}.xml`;
      tbody.append(
        el(
          "tr",
          { "data-id": doc.id },
          el("td", {}, el("input", { type: "checkbox", "data-url": doc.xml_url, "data-name": name, "aria-label": name, onchange: updateDocumentButton })),
          el("td", { class: "mono", text: doc.number }),
          el("td", { text: T[`kind_${doc.kind}`] || doc.kind }),
          el("td", { text: T[`status_${doc.status}`] || doc.status }),
          el("td", { text: doc.issue_date }),
          el("td", { text: doc.customer_name || "—" }),
          el("td", { class: "num", text: `${doc.payable} ${doc.currency}` }),
        ),
      );
    }
    $("documents-count").textContent = page.items && page.items.length
      ? fmt(T.documents_shown, { shown: page.items.length, total: page.total })
      : T.no_documents;
    $("documents-all").checked = false;
    $("account-documents").hidden = false;
    updateDocumentButton();
  }

  if (accountForm && CONFIG.documentsUrl) {
    accountForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const credentials = `${$("client-id").value.trim()}:${$("client-key").value}`;
      const bytes = new TextEncoder().encode(credentials); // RFC 7617: UTF-8, then base64
      authorization = `Basic ${btoa(String.fromCharCode(...bytes))}`;
      showDocuments();
    });
    $("documents-all").addEventListener("change", (event) => {
      for (const box of document.querySelectorAll("#documents-rows input[type=checkbox]")) box.checked = event.target.checked;
      updateDocumentButton();
    });
    $("validate-documents").addEventListener("click", async () => {
      const button = $("validate-documents");
      button.disabled = true;
      accountError("");
      try {
        const files = [];
        for (const box of selectedDocuments()) {
          const response = await authorized(box.dataset.url);
          if (!response.ok) throw new Error(await problemText(response));
          files.push(new File([await response.blob()], box.dataset.name, { type: "application/xml" }));
        }
        if (files.length) start(files);
      } catch (error) {
        accountError(error.message || T.network_error);
      } finally {
        updateDocumentButton();
      }
    });
  }
})();
