"""Sentences of Vietnamese administrative prose for commitments, guidance, letters and notes."""

from __future__ import annotations

import random

COMMITMENTS = (
    "Tôi cam đoan nội dung kê khai trên đây là đúng sự thật và chịu hoàn toàn trách nhiệm trước "
    "pháp luật về nội dung cam đoan của mình.",
    "Tôi xin cam đoan những lời khai trên là đúng sự thật, nếu sai tôi xin chịu trách nhiệm "
    "trước pháp luật.",
    "Tôi cam đoan nội dung đề nghị trên đây là đúng sự thật, được sự thỏa thuận nhất trí của các "
    "bên liên quan theo quy định pháp luật.",
    "Người đề nghị cam kết thực hiện đúng các quy định của pháp luật có liên quan và chịu trách "
    "nhiệm về tính hợp pháp, chính xác, trung thực của nội dung kê khai.",
)
GUIDANCE = (
    "Người yêu cầu ghi đầy đủ, rõ ràng các thông tin theo mẫu; không viết tắt, không tẩy xóa.",
    "Trường hợp giấy tờ nộp là bản sao thì phải là bản sao được chứng thực từ bản chính hoặc bản "
    "sao được cấp từ sổ gốc; nếu nộp bản chụp thì phải xuất trình bản chính để đối chiếu.",
    "Cơ quan tiếp nhận có trách nhiệm kiểm tra tính đầy đủ, hợp lệ của hồ sơ và hướng dẫn người "
    "nộp bổ sung, hoàn thiện hồ sơ trong thời hạn quy định.",
    "Thông tin về số định danh cá nhân được khai thác từ Cơ sở dữ liệu quốc gia về dân cư; người "
    "yêu cầu không phải nộp bản sao giấy tờ đã được số hóa.",
    "Kết quả giải quyết thủ tục hành chính được trả trực tiếp tại Bộ phận Một cửa hoặc qua dịch "
    "vụ bưu chính công ích theo yêu cầu của người nộp hồ sơ.",
    "Trường hợp hồ sơ chưa đầy đủ, chưa hợp lệ, cơ quan có thẩm quyền thông báo bằng văn bản và "
    "nêu rõ lý do trong thời hạn 03 ngày làm việc kể từ ngày nhận hồ sơ.",
    "Phí, lệ phí được nộp trực tiếp hoặc thanh toán trực tuyến qua Cổng Dịch vụ công quốc gia.",
)
LETTER = (
    "Tôi làm đơn này kính đề nghị Quý cơ quan xem xét, giải quyết nguyện vọng chính đáng của gia "
    "đình tôi.",
    "Căn cứ tình hình thực tế tại địa phương, gia đình tôi có nhu cầu sửa chữa, cải tạo lại nhà ở "
    "đã xuống cấp sau nhiều năm sử dụng.",
    "Trong thời gian qua, gia đình tôi luôn chấp hành tốt các chủ trương, chính sách của Đảng và "
    "pháp luật của Nhà nước, không có tranh chấp, khiếu kiện.",
    "Nay tôi ủy quyền cho người có tên dưới đây được thay mặt tôi nộp hồ sơ, nhận kết quả và ký "
    "các giấy tờ có liên quan.",
    "Thời hạn ủy quyền kể từ ngày ký giấy này cho đến khi hoàn thành công việc được ủy quyền.",
    "Hai bên cam kết thực hiện đúng nội dung đã thỏa thuận, nếu có tranh chấp sẽ tự giải quyết "
    "và chịu trách nhiệm trước pháp luật.",
    "Rất mong nhận được sự quan tâm, tạo điều kiện của Quý cơ quan.",
    "Xác nhận ông (bà) có tên trên hiện đang cư trú tại địa phương, chấp hành tốt chính sách, "
    "pháp luật.",
)


def sentences(rng: random.Random, pool: tuple[str, ...], low: int, high: int) -> list[str]:
    """Distinct sentences from ``pool`` in a random order."""
    return rng.sample(pool, min(len(pool), rng.randint(low, high)))
