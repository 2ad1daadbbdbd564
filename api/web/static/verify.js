// Signature check: POST the chosen PDF to /api/v1/public/verify and show the report readably.
"use strict";

const form = document.getElementById("verify");
const fileInput = document.getElementById("pdf-file");
const section = document.getElementById("report");

const REVOCATION = {
  good: "Chứng thư số còn hiệu lực (chưa bị thu hồi)",
  revoked: "Chứng thư số đã bị thu hồi",
  "not checked": "Chưa kiểm tra được",
  "no revocation source": "Chứng thư không công bố nơi kiểm tra thu hồi",
};
const LEVELS = {
  "B-B": "PAdES B-B (chữ ký cơ bản)",
  "B-T": "PAdES B-T (có dấu thời gian)",
  "B-LT": "PAdES B-LT (kèm dữ liệu kiểm tra dài hạn)",
  "B-LTA": "PAdES B-LTA (lưu trữ dài hạn)",
};

function yesNo(good, text) {
  return Portal.el("dd", { class: good ? "yes" : "no" }, (good ? "✓ " : "✗ ") + text);
}

function signatureCard(sig, index, total) {
  const facts = Portal.el("dl", { class: "facts" },
    Portal.el("dt", {}, "Người ký"), Portal.el("dd", {}, sig.signer || "(không rõ)"),
  );
  if (sig.issuer) facts.append(Portal.el("dt", {}, "Tổ chức cấp chứng thư"), Portal.el("dd", {}, sig.issuer));
  facts.append(
    Portal.el("dt", {}, "Toàn vẹn"),
    yesNo(sig.intact && sig.valid, sig.intact && sig.valid
      ? "Nội dung được ký còn nguyên vẹn"
      : sig.intact ? "Chữ ký không khớp với chứng thư" : "Nội dung đã bị thay đổi sau khi ký"),
    Portal.el("dt", {}, "Tin cậy"),
    yesNo(sig.trusted, sig.trusted ? "Chứng thư số do tổ chức được tin cậy cấp"
                                   : "Chứng thư số không thuộc tổ chức được tin cậy"),
    Portal.el("dt", {}, "Sửa đổi sau khi ký"),
    yesNo(!sig.modified_after, sig.modified_after
      ? "Có — tài liệu đã bị sửa sau khi ký"
      : "Không (chỉ có thể thêm chữ ký hoặc dữ liệu kiểm tra)"),
    Portal.el("dt", {}, "Dấu thời gian"),
    sig.timestamp
      ? yesNo(sig.timestamp_trusted !== false, Portal.formatDateTime(sig.timestamp) +
          (sig.timestamp_trusted === false ? " (dấu thời gian không hợp lệ)" : ""))
      : Portal.el("dd", {}, "Không có" +
          (sig.signing_time ? ` (người ký ghi thời điểm ${Portal.formatDateTime(sig.signing_time)})` : "")),
    Portal.el("dt", {}, "Thu hồi chứng thư"),
    Portal.el("dd", { class: sig.revocation === "revoked" ? "no" : null },
      REVOCATION[sig.revocation] || sig.revocation),
    Portal.el("dt", {}, "Mức chữ ký"), Portal.el("dd", {}, LEVELS[sig.level] || sig.level || "Không xác định"),
  );
  const card = Portal.el("article", { class: "card signature" },
    Portal.el("h3", {}, `Chữ ký ${index + 1}/${total}: `,
      Portal.el("span", { class: sig.ok ? "yes" : "no" }, sig.ok ? "hợp lệ" : "không hợp lệ")),
    facts);
  if (sig.problems && sig.problems.length) {
    card.append(Portal.el("details", {}, Portal.el("summary", {}, "Chi tiết kỹ thuật"),
      Portal.el("ul", {}, sig.problems.map((p) => Portal.el("li", { lang: "en" }, p)))));
  }
  return card;
}

function show(report, fileName) {
  const count = report.signatures.length;
  const verdict = report.valid
    ? Portal.el("div", { class: "verdict valid", id: "verdict" },
        Portal.el("h2", {}, "✓ Hợp lệ"),
        Portal.el("p", {}, `Tệp ${fileName} có ${count} chữ ký số hợp lệ, do tổ chức được tin cậy ` +
          "cấp, và không bị sửa đổi sau khi ký."))
    : Portal.el("div", { class: "verdict invalid", id: "verdict" },
        Portal.el("h2", {}, "✗ Không hợp lệ"),
        Portal.el("p", {}, count
          ? `Tệp ${fileName} có chữ ký không hợp lệ hoặc đã bị sửa đổi. Không sử dụng tệp này; ` +
            "hãy tải lại kết quả từ trang tra cứu hồ sơ."
          : `Tệp ${fileName} không có chữ ký số nào.`));
  const parts = [verdict, ...report.signatures.map((s, i) => signatureCard(s, i, count))];
  if (report.problems && report.problems.length) {
    parts.push(Portal.el("details", {}, Portal.el("summary", {}, "Chi tiết kỹ thuật"),
      Portal.el("ul", {}, report.problems.map((p) => Portal.el("li", { lang: "en" }, p)))));
  }
  section.replaceChildren(...parts);
  section.hidden = false;
}

/** A refused file: a damaged PDF is shown as not valid; too large / not a PDF as a message. */
function refuse(error, fileName) {
  if (error.status === 422) {
    section.replaceChildren(Portal.el("div", { class: "verdict invalid", id: "verdict" },
      Portal.el("h2", {}, "✗ Không hợp lệ"),
      Portal.el("p", {}, `Tệp ${fileName} bị hỏng hoặc không đọc được nên không thể xác nhận chữ ký.`)),
      Portal.el("details", {}, Portal.el("summary", {}, "Chi tiết kỹ thuật"),
        Portal.el("p", { lang: "en" }, error.message)));
    section.hidden = false;
    return;
  }
  const messages = {
    413: "Tệp quá lớn để kiểm tra.",
    415: `Tệp ${fileName} không phải là tệp PDF. Vui lòng chọn tệp kết quả dạng PDF.`,
  };
  Portal.say("error", messages[error.status] || Portal.SERVER_ERROR);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const file = fileInput.files[0];
  fileInput.removeAttribute("aria-invalid");
  section.hidden = true;
  if (!file) {
    fileInput.setAttribute("aria-invalid", "true");
    fileInput.focus();
    Portal.say("error", "Vui lòng chọn tệp PDF kết quả cần kiểm tra.");
    return;
  }
  const button = form.querySelector("button");
  button.disabled = true;
  Portal.say("info", "Đang kiểm tra chữ ký…");
  try {
    const body = new FormData();
    body.append("file", file, file.name);
    const response = await fetch(form.action, { method: "POST", body });
    Portal.say("", "");
    if (!response.ok) refuse(await Portal.errorOf(response), file.name);
    else show(await response.json(), file.name);
  } catch (_) {
    Portal.say("error", Portal.NETWORK_ERROR);
  } finally {
    button.disabled = false;
  }
});
