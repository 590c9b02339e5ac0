#include "api/entity_handlers.h"

#include <boost/json.hpp>

#include "api/conventions.h"
#include "api/json_reader.h"
#include "api/openapi.h"
#include "http/json.h"

namespace oc::api {

namespace {

namespace json = boost::json;

constexpr auth::Permission kAdminPermission = auth::Permission::kEntityAdmin;

json::object LabelJson(const Message& label) {
  return json::object{{"zh-CN", label.zh_cn}, {"en-US", label.en_us}};
}

json::object FieldJson(const forms::FieldDef& field) {
  json::object out;
  out["name"] = field.name;
  out["label"] = LabelJson(field.label);
  out["type"] = forms::FieldTypeName(field.type);
  out["format"] = forms::FieldFormatName(field.format);
  out["required"] = field.required;
  out["builtin"] = field.builtin;
  out["read_only"] = field.read_only;
  out["sensitive"] = field.sensitive;
  out["masked_to_year"] = field.masked_to_year;
  out["filterable"] = field.filterable;
  out["sortable"] = field.sortable;
  json::array options;
  for (const forms::FieldOption& option : field.options) {
    options.push_back(json::object{{"value", option.value}, {"label", LabelJson(option.label)}});
  }
  out["options"] = std::move(options);
  out["section"] = field.section;
  out["position"] = field.position;
  out["max_length"] = field.max_length ? json::value(static_cast<int64_t>(*field.max_length))
                                       : json::value(nullptr);
  out["archived"] = field.archived;
  return out;
}

json::object EntityJson(const forms::EntityDef& entity) {
  json::object out;
  out["key"] = entity.key;
  out["label"] = LabelJson(entity.label);
  out["version"] = entity.version;
  json::array sections;
  for (const forms::Section& section : entity.sections) {
    sections.push_back(json::object{{"key", section.key}, {"label", LabelJson(section.label)}});
  }
  out["sections"] = std::move(sections);
  json::array fields;
  for (const forms::FieldDef& field : entity.fields) fields.push_back(FieldJson(field));
  out["fields"] = std::move(fields);
  return out;
}

// {"zh-CN": "…", "en-US": "…"} at `path`; violations name the missing or malformed part.
Message ReadLabel(const json::value* value, const std::string& path,
                  std::vector<FieldViolation>& violations) {
  Message out;
  const json::object* object = value ? value->if_object() : nullptr;
  if (!object) {
    violations.push_back({path, value ? "wrong_type" : "required",
                          {"须为 {\"zh-CN\": 文本, \"en-US\": 文本}",
                           "must be {\"zh-CN\": text, \"en-US\": text}"}});
    return out;
  }
  for (const auto& [key, text] : *object) {
    if ((key != "zh-CN" && key != "en-US") || !text.is_string()) {
      violations.push_back({path + "." + std::string(key), "unknown_field",
                            {"只能是 zh-CN 或 en-US 的文本", "must be zh-CN or en-US text"}});
      continue;
    }
    (key == "zh-CN" ? out.zh_cn : out.en_us) = std::string(text.get_string());
  }
  return out;
}

// The "options" array of a select field: [{"value": "…", "label": {…}}].
std::vector<forms::FieldOption> ReadOptions(const json::value& value,
                                            std::vector<FieldViolation>& violations) {
  std::vector<forms::FieldOption> out;
  const json::array* array = value.if_array();
  if (!array) {
    violations.push_back({"options", "wrong_type", {"须为选项数组", "must be an array of options"}});
    return out;
  }
  for (size_t i = 0; i < array->size(); ++i) {
    const std::string at = "options[" + std::to_string(i) + "]";
    const json::object* option = (*array)[i].if_object();
    const json::value* option_value = option ? option->if_contains("value") : nullptr;
    if (!option_value || !option_value->is_string()) {
      violations.push_back({at + ".value", "required", {"选项值不能为空", "is required"}});
      continue;
    }
    out.push_back({std::string(option_value->get_string()),
                   ReadLabel(option->if_contains("label"), at + ".label", violations)});
  }
  return out;
}

// The parts of a label a patch gives: {"zh-CN": …} alone changes the Chinese label only.
void ReadLabelPatch(const json::value& value, forms::FieldPatch& patch,
                    std::vector<FieldViolation>& violations) {
  const json::object* object = value.if_object();
  if (!object) {
    violations.push_back({"label", "wrong_type",
                          {"须为 {\"zh-CN\": 文本, \"en-US\": 文本}",
                           "must be {\"zh-CN\": text, \"en-US\": text}"}});
    return;
  }
  for (const auto& [key, text] : *object) {
    if ((key != "zh-CN" && key != "en-US") || !text.is_string()) {
      violations.push_back({"label." + std::string(key), "unknown_field",
                            {"只能是 zh-CN 或 en-US 的文本", "must be zh-CN or en-US text"}});
      continue;
    }
    (key == "zh-CN" ? patch.label_zh_cn : patch.label_en_us) = std::string(text.get_string());
  }
}

}  // namespace

void AddEntityRoutes(http::Router& router, const ApiContext& ctx,
                     forms::EntityRegistry& registry) {
  const Guard& guard = ctx.guard;

  AddProtectedRoute(
      router, guard, http::Method::kGet, "/api/v1/entities/{key}", {},
      {.id = "getEntity",
       .tag = "entities",
       .summary = "An entity's metadata",
       .description = "Fields, types, labels, options and sections: forms render from it.",
       .response = Ref("Entity")},
      [&registry](http::Request& request, const Caller&) {
        auto entity = registry.Get(request.PathParam("key"));
        if (!entity) return ErrorResponse(entity.error(), request);
        http::Response response = http::JsonResponse(200, EntityJson(**entity));
        response.Set("ETag", ETag((*entity)->version));
        return response;
      });

  AddProtectedRoute(router, guard, http::Method::kPost, "/api/v1/entities/{key}/fields",
                    {.permission = kAdminPermission},
                    {.id = "addEntityField",
                     .tag = "entities",
                     .summary = "Add a custom field",
                     .description = "A typed column, added online.",
                     .request = Ref("Field"),
                     .success = 201,
                     .response = Ref("Field")},
                    [&registry](http::Request& request, const Caller& caller) {
                      auto body = http::ParseJsonBody(request);
                      if (!body) return body.error();
                      std::vector<FieldViolation> violations;
                      forms::CustomFieldInput input;
                      // Options and the label are nested; the reader checks the flat rest.
                      json::value rest = *body;
                      if (json::object* object = rest.if_object()) {
                        if (const json::value* options = object->if_contains("options")) {
                          if (!options->is_null())
                            input.options = ReadOptions(*options, violations);
                          object->erase("options");
                        }
                        input.label = ReadLabel(object->if_contains("label"), "label", violations);
                        object->erase("label");
                      }
                      JsonReader reader(rest);
                      auto name = reader.String("name", true, 64);
                      auto type = reader.String("type", true, 32);
                      auto format = reader.String("format", false, 32);
                      auto required = reader.Bool("required", false);
                      auto sensitive = reader.Bool("sensitive", false);
                      auto masked_to_year = reader.Bool("masked_to_year", false);
                      auto filterable = reader.Bool("filterable", false);
                      auto sortable = reader.Bool("sortable", false);
                      auto section = reader.String("section", false, 64);
                      auto position = reader.Int("position", false);
                      auto max_length = reader.Int("max_length", false);
                      if (position && (*position < 0 || *position > 1'000'000)) {
                        violations.push_back({"position", "out_of_range",
                                              {"位置须在 0 到 1000000 之间",
                                               "position must be 0 to 1000000"}});
                        position.reset();
                      }
                      for (FieldViolation& v : violations) {
                        reader.AddViolation(std::move(v.field), std::move(v.code),
                                            std::move(v.message));
                      }
                      if (auto s = reader.Finish(); !s) return ErrorResponse(s.error(), request);
                      input.name = *name;
                      input.type = *type;
                      input.format = format.value_or("");
                      input.required = required.value_or(false);
                      input.sensitive = sensitive.value_or(false);
                      input.masked_to_year = masked_to_year.value_or(false);
                      input.filterable = filterable.value_or(false);
                      input.sortable = sortable.value_or(false);
                      input.section = section.value_or("");
                      if (position) input.position = static_cast<int>(*position);
                      if (max_length) {
                        // Out-of-range values are the registry's to report; 0 is never valid.
                        input.max_length =
                            *max_length > 0 ? static_cast<size_t>(*max_length) : size_t{0};
                      }
                      auto field = registry.AddCustomField(caller.actor,
                                                           request.PathParam("key"), input);
                      if (!field) return ErrorResponse(field.error(), request);
                      http::Response response = http::JsonResponse(201, FieldJson(*field));
                      response.Set("Location", "/api/v1/entities/" +
                                                   std::string(request.PathParam("key")));
                      return response;
                    });

  AddProtectedRoute(
      router, guard, http::Method::kPatch, "/api/v1/entities/{key}/fields/{field}",
      {.permission = kAdminPermission},
      {.id = "updateEntityField",
       .tag = "entities",
       .summary = "Change or archive a field",
       .description = "Label, options, required, max_length and archived of a custom field; a "
                      "built-in field takes a new label only. An archived field leaves forms and "
                      "lists but keeps its data. If-Match is the entity's ETag; the response's "
                      "ETag is the entity's new version.",
       .request = Ref("FieldPatch"),
       .response = Ref("Field"),
       .if_match = true},
      [&registry](http::Request& request, const Caller& caller) {
        http::Response error;
        auto version = ExpectedVersion(request, &error);
        if (!version) return error;
        auto body = http::ParseJsonBody(request);
        if (!body) return body.error();
        std::vector<FieldViolation> violations;
        forms::FieldPatch patch;
        // The label and the options are nested; the reader checks the flat rest.
        json::value rest = *body;
        if (json::object* object = rest.if_object()) {
          if (const json::value* label = object->if_contains("label")) {
            ReadLabelPatch(*label, patch, violations);
            object->erase("label");
          }
          if (const json::value* options = object->if_contains("options")) {
            patch.options = ReadOptions(*options, violations);
            object->erase("options");
          }
        }
        JsonReader reader(rest);
        patch.required = reader.Bool("required", false);
        patch.archived = reader.Bool("archived", false);
        if (reader.IsNull("max_length")) {
          patch.max_length.emplace(std::nullopt);
        }
        if (auto max_length = reader.Int("max_length", false)) {
          // Out-of-range values are the registry's to report; 0 is never valid.
          patch.max_length.emplace(*max_length > 0 ? static_cast<size_t>(*max_length) : size_t{0});
        }
        for (FieldViolation& v : violations) {
          reader.AddViolation(std::move(v.field), std::move(v.code), std::move(v.message));
        }
        if (auto s = reader.Finish(); !s) return ErrorResponse(s.error(), request);
        const std::string name(request.PathParam("field"));
        auto entity =
            registry.UpdateField(caller.actor, request.PathParam("key"), name, patch, *version);
        if (!entity) return ErrorResponse(entity.error(), request);
        const forms::FieldDef* field = (*entity)->Find(name);
        if (!field) return ErrorResponse(Internal("updated field not in its entity"), request);
        http::Response response = http::JsonResponse(200, FieldJson(*field));
        response.Set("ETag", ETag((*entity)->version));
        return response;
      });
}

}  // namespace oc::api
