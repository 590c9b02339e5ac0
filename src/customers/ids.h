#pragma once
// The ids the customer registry hands to other modules. Strong types: a customer id cannot be
// passed where a relation or a user id is expected, which the loans, workflow and rules engines
// that refer to customers would otherwise mix up silently.

#include "core/id.h"

namespace oc::customers {

struct CustomerTag;
struct RelationTag;
struct FollowUpTag;
using CustomerId = Id<CustomerTag>;
using RelationId = Id<RelationTag>;
using FollowUpId = Id<FollowUpTag>;

}  // namespace oc::customers
