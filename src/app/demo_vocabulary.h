#pragma once
// What made-up customers are made of: the demo organisation's customers and the scale
// benchmark's million draw from the same plausible names and the same mix of channels, risk
// levels and statuses. Repetition weights a draw (three "low" risk levels to one "high").

namespace oc::app::demo_vocabulary {

inline constexpr const char* kSurnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
    "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
    "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡"};
inline constexpr const char* kGivenNames[] = {
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇",
    "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华",
    "志强", "海燕", "晓东", "丽华", "子轩", "雨涵", "浩然", "欣怡", "俊杰", "思远", "佳怡", "宇航"};
inline constexpr const char* kOccupations[] = {"个体经营", "公司职员", "教师", "医生", "司机",
                                               "农户", "工程师", "销售", "厨师", "自由职业"};
inline constexpr const char* kChannels[] = {"walk_in", "referral", "online", "agent",
                                            "telemarketing", "event", "partner"};
inline constexpr const char* kRiskLevels[] = {"low", "low", "low", "medium", "medium", "high"};
inline constexpr const char* kStatuses[] = {"active", "active", "active", "prospect", "dormant"};
inline constexpr const char* kTags[] = {"vip", "high_value", "new", "repeat", "salaried",
                                        "business_owner", "farmer", "watch"};
inline constexpr const char* kEducation[] = {"junior_high", "senior_high", "college", "bachelor",
                                             "master"};
inline constexpr const char* kMaritalStatuses[] = {"single", "married", "married", "divorced"};

}  // namespace oc::app::demo_vocabulary
