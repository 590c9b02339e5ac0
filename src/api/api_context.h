#pragma once
// What the resource handlers need from the rest of the system. Built by the composition root;
// the handlers hold references only.

#include "api/guard.h"
#include "audit/audit_log.h"
#include "auth/organization_service.h"
#include "auth/session_service.h"
#include "core/clock.h"
#include "core/time_zone.h"
#include "storage/db.h"

namespace oc::api {

struct ApiContext {
  storage::Db& db;
  const Clock& clock;
  audit::AuditLog& audit;
  auth::SessionService& sessions;
  auth::OrganizationService& organization;
  const Guard& guard;
  // Where "today" is: TODAY() in expressions, dates of follow-ups.
  const TimeZone& zone;
};

}  // namespace oc::api
