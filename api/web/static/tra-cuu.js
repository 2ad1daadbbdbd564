// Dossier lookup: GET /api/v1/public/dossiers/{code} with the X-Access-Code header, then show the
// status in plain Vietnamese and let the citizen download the signed result.
"use strict";

const API = "/api/v1/public";

// What each lifecycle status means for the citizen; tone picks the badge colour.
const STATUSES = {
  received: ["Đã tiếp nhận", "", "Hồ sơ đã được tiếp nhận và đang chờ cán bộ xử lý."],
  processing: ["Đang xử lý", "", "Cán bộ đang thẩm định hồ sơ của bạn."],
  supplement_requested: ["Cần bổ sung giấy tờ", "attention",
    "Cơ quan yêu cầu bổ sung hồ sơ. Vui lòng xem hướng dẫn đã được gửi cho bạn hoặc liên hệ " +
    "Bộ phận Một cửa; thời hạn giải quyết được tính lại khi bạn nộp đủ giấy tờ."],
  resubmitted: ["Đã bổ sung, đang xử lý", "", "Hồ sơ đã được bổ sung và đang được xử lý tiếp."],
  resolved: ["Đã giải quyết xong", "done",
    "Hồ sơ đã được giải quyết; kết quả đang được ký số và sẽ sớm có để tải về."],
  returned: ["Bị trả lại", "stopped", "Hồ sơ không được giải quyết và đã được trả lại."],
  result_issued: ["Đã có kết quả", "done",
    "Kết quả đã được ký số. Bạn có thể tải về ở bên dưới; bản điện tử có giá trị như bản giấy."],
  delivered: ["Đã trả kết quả", "done", "Kết quả đã được trả cho bạn (đã tải về hoặc nhận trực tiếp)."],
};
const OPEN = new Set(["received", "processing", "supplement_requested", "resubmitted"]);

const form = document.getElementById("lookup");
const codeInput = document.getElementById("dossier-code");
const accessInput = document.getElementById("access-code");
const section = document.getElementById("dossier");
const procedureNames = JSON.parse(document.getElementById("portal").dataset.procedures || "{}");
let lookups = 0; // a newer lookup wins over a slower, older one

function normalise(value) {
  return value.trim().toUpperCase().replace(/\s+/g, "");
}

/** The message for a refused lookup or download, in Vietnamese. */
function describe(error, code) {
  switch (error.status) {
    case 401: return "Vui lòng nhập mã tra cứu in trên giấy biên nhận.";
    case 403: return `Mã tra cứu không đúng với hồ sơ ${code}. Vui lòng kiểm tra lại giấy ` +
      "biên nhận (chú ý phân biệt chữ và số). Nhập sai nhiều lần sẽ bị tạm khóa.";
    case 404: case 422: return `Không tìm thấy hồ sơ có mã ${code}. Vui lòng kiểm tra lại mã hồ sơ ` +
      "trên giấy biên nhận.";
    case 429: return "Bạn đã nhập sai mã tra cứu quá nhiều lần nên việc tra cứu tạm bị khóa. " +
      (error.retryAfter ? `Vui lòng thử lại sau ${Portal.formatWait(error.retryAfter)}.`
                        : "Vui lòng thử lại sau ít phút.");
    case 503: return "Kho lưu trữ tạm thời không truy cập được. Vui lòng thử lại sau ít phút.";
    default: return Portal.SERVER_ERROR;
  }
}

async function lookUp(code, access) {
  const response = await fetch(`${API}/dossiers/${encodeURIComponent(code)}`, {
    headers: { "X-Access-Code": access, Accept: "application/json" },
    cache: "no-store",
  });
  if (!response.ok) throw await Portal.errorOf(response);
  return response.json();
}

async function download(result, code, access, button) {
  button.disabled = true;
  const lookup = lookups;
  Portal.say("info", "Đang tải kết quả…");
  try {
    const response = await fetch(result.url, { headers: { "X-Access-Code": access } });
    if (!response.ok) throw await Portal.errorOf(response);
    const blob = await response.blob();
    const link = Portal.el("a", { href: URL.createObjectURL(blob), download: result.name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    Portal.say("info", `Đã tải về tệp ${result.name}.`);
    const dossier = await lookUp(code, access); // the first download marks it delivered
    if (lookup === lookups) show(dossier, access);
  } catch (error) {
    if (lookup !== lookups) return;
    Portal.say("error", error instanceof TypeError ? Portal.NETWORK_ERROR : describe(error, code));
  } finally {
    button.disabled = false;
  }
}

function show(dossier, access) {
  const [label, tone, meaning] = STATUSES[dossier.status] || [dossier.status, "", ""];
  const late = OPEN.has(dossier.status) && Portal.parseDate(dossier.due_at) < new Date();
  const procedure = procedureNames[dossier.procedure]; // an internal code means nothing to citizens
  const facts = Portal.el("dl", { class: "facts" },
    Portal.el("dt", {}, "Mã hồ sơ"), Portal.el("dd", { class: "code" }, dossier.code),
    procedure ? [Portal.el("dt", {}, "Thủ tục"), Portal.el("dd", {}, procedure)] : null,
    Portal.el("dt", {}, "Ngày tiếp nhận"),
    Portal.el("dd", {}, Portal.formatDateTime(dossier.received_at)),
    Portal.el("dt", {}, "Hẹn trả kết quả"),
    Portal.el("dd", { class: late ? "late" : null }, Portal.formatDateTime(dossier.due_at),
      late ? " — đã quá hạn" : ""),
    dossier.return_reason
      ? [Portal.el("dt", {}, "Lý do trả lại"), Portal.el("dd", {}, dossier.return_reason)]
      : null,
  );
  const parts = [
    Portal.el("h2", {}, "Tình trạng hồ sơ"),
    Portal.el("p", {}, Portal.el("span", { class: `status ${tone}`, id: "status" }, label)),
    Portal.el("p", {}, meaning),
    facts,
  ];
  if (dossier.results.length) {
    const list = Portal.el("ul", { class: "results" });
    for (const result of dossier.results) {
      const button = Portal.el("button", { type: "button", class: "download" },
        "Tải kết quả (PDF)");
      button.addEventListener("click", () => download(result, dossier.code, access, button));
      list.append(Portal.el("li", {},
        Portal.el("span", {}, Portal.el("span", { class: "code" }, result.name),
          ` — ${Math.max(1, Math.round(result.size / 1024))} KB`),
        button));
    }
    parts.push(Portal.el("h3", {}, "Kết quả đã ký số"), list,
      Portal.el("p", {}, Portal.el("a", { href: `/verify/${encodeURIComponent(dossier.code)}` },
        "Kiểm tra chữ ký số của tệp kết quả")));
  }
  section.replaceChildren(Portal.el("div", { class: "card" }, ...parts));
  section.hidden = false;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const code = normalise(codeInput.value), access = normalise(accessInput.value);
  codeInput.value = code;
  accessInput.value = access;
  codeInput.removeAttribute("aria-invalid");
  accessInput.removeAttribute("aria-invalid");
  if (!code || !access) {
    const missing = code ? accessInput : codeInput;
    missing.setAttribute("aria-invalid", "true");
    missing.focus();
    Portal.say("error", code ? "Vui lòng nhập mã tra cứu in trên giấy biên nhận."
                              : "Vui lòng nhập mã hồ sơ.");
    return;
  }
  const button = form.querySelector("button");
  const lookup = ++lookups;
  button.disabled = true;
  Portal.say("info", "Đang tra cứu…");
  section.hidden = true;
  try {
    const dossier = await lookUp(code, access);
    if (lookup !== lookups) return;
    show(dossier, access);
    Portal.say("", "");
  } catch (error) {
    if (lookup !== lookups) return;
    if (error instanceof TypeError) Portal.say("error", Portal.NETWORK_ERROR);
    else {
      Portal.say("error", describe(error, code));
      const wrong = { 403: accessInput, 401: accessInput, 404: codeInput, 422: codeInput }[error.status];
      if (wrong) wrong.setAttribute("aria-invalid", "true");
    }
  } finally {
    button.disabled = false;
  }
});

if (!codeInput.value) {
  codeInput.value = new URLSearchParams(location.search).get("ma") || "";
}
(codeInput.value ? accessInput : codeInput).focus();
