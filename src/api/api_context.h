#pragma once
// What the resource handlers need from the rest of the system. Built by the composition root;
// the handlers hold references only.

#include "api/guard.h"
#include "audit/audit_log.h"
#include "auth/organization_service.h"
#include "auth/session_service.h"
#include "core/clock.h"
#include "core/time_zone.h"
#include "runtime/business_date.h"
#include "storage/db.h"

namespace oc::api {

struct ApiContext {
  storage::Db& db;
  const Clock& clock;
  audit::AuditLog& audit;
  auth::SessionService& sessions;
  auth::OrganizationService& organization;
  const Guard& guard;
  // Where "today" is: dates of follow-ups, the first business date.
  const TimeZone& zone;
  // The business date (营业日) credit calculations and TODAY() read, with its calendar.
  runtime::BusinessDateService& business_date;
};

}  // namespace oc::api
