#!/usr/bin/env node
/*
 * Runs Sage's official Node SDK for Intacct (@intacct/intacct-sdk, unmodified) against an
 * Intacct sandbox and prints one JSON object per scenario on stdout, one per line.
 *
 * The SDK refuses endpoints whose host does not end in "intacct.com", and after getAPISession it
 * follows the endpoint the gateway returns. So this process resolves a host alias such as
 * "sandbox.intacct.com" to the sandbox's address (dns.lookup is overridden in this process only)
 * and talks to http://<alias>:<sandbox port>/<sandbox path>. The gateway must answer
 * getAPISession with an endpoint on the host name the client used.
 *
 * Configuration (environment):
 *   INTEROP_GATEWAY_URL      sandbox gateway URL, e.g. http://127.0.0.1:8042/ia/xml/xmlgw.phtml (required)
 *   INTEROP_HOST_ALIAS       host name the SDK is given (default sandbox.intacct.com)
 *   INTACCT_SENDER_ID, INTACCT_SENDER_PASSWORD, INTACCT_COMPANY_ID, INTACCT_USER_ID,
 *   INTACCT_USER_PASSWORD    credentials (default: the demo seed's)
 *   INTEROP_ENTITY           entity used on lines when nothing better is known (default E100)
 * Arguments: scenario names to run (default: all, in order). "session" always runs first.
 */
"use strict";

const dns = require("dns");
const url = require("url");
const crypto = require("crypto");
const IA = require("@intacct/intacct-sdk");

const gatewayUrl = process.env.INTEROP_GATEWAY_URL;
if (!gatewayUrl) {
  process.stderr.write("INTEROP_GATEWAY_URL is required\n");
  process.exit(2);
}
const gateway = new url.URL(gatewayUrl);
const hostAlias = (process.env.INTEROP_HOST_ALIAS || "sandbox.intacct.com").toLowerCase();
const aliasUrl = `http://${hostAlias}${gateway.port ? ":" + gateway.port : ""}${gateway.pathname}`;

const creds = {
  senderId: process.env.INTACCT_SENDER_ID || "ledgerbridge",
  senderPassword: process.env.INTACCT_SENDER_PASSWORD || "sandbox",
  companyId: process.env.INTACCT_COMPANY_ID || "DEMO",
  userId: process.env.INTACCT_USER_ID || "xml_gateway",
  userPassword: process.env.INTACCT_USER_PASSWORD || "sandbox",
};
const defaultEntity = process.env.INTEROP_ENTITY || "E100";

// --- name resolution: every *.intacct.com name goes to the sandbox host ---------------------
const originalLookup = dns.lookup;
const sandboxHost = gateway.hostname.replace(/^\[|\]$/g, "");
const resolvedNames = [];
dns.lookup = function lookup(hostname, options, callback) {
  if (typeof options === "function") {
    callback = options;
    options = {};
  } else if (typeof options === "number") {
    options = { family: options };
  } else if (options == null) {
    options = {};
  }
  const name = String(hostname).toLowerCase().replace(/\.$/, "");
  if (name === "intacct.com" || name.endsWith(".intacct.com")) {
    resolvedNames.push(name);
    return originalLookup.call(dns, sandboxHost, options, callback);
  }
  return originalLookup.call(dns, hostname, options, callback);
};

// --- helpers ----------------------------------------------------------------------------------
const F = IA.Functions;
const NewQuery = F.Common.NewQuery;

function text(value) {
  if (value == null) {
    return "";
  }
  if (typeof value === "object") {
    return value._ == null ? "" : String(value._);
  }
  return String(value);
}

function flat(row) {
  const out = {};
  for (const key of Object.keys(row || {})) {
    if (key !== "$") {
      out[key] = text(row[key]);
    }
  }
  return out;
}

function token() {
  return crypto.randomBytes(6).toString("hex");
}

function baseConfig(overrides) {
  const config = new IA.ClientConfig();
  config.endpointUrl = aliasUrl;
  config.senderId = creds.senderId;
  config.senderPassword = creds.senderPassword;
  config.companyId = creds.companyId;
  config.userId = creds.userId;
  config.userPassword = creds.userPassword;
  // Never read ~/.intacct/credentials.ini.
  config.profileFile = "/nonexistent/intacct-credentials.ini";
  return Object.assign(config, overrides || {});
}

function requestConfig(overrides) {
  const rc = new IA.RequestConfig();
  rc.maxRetries = 0; // a 5xx must show up as a failure, not as 30 s of back-off
  rc.maxTimeout = 20000;
  return Object.assign(rc, overrides || {});
}

function describeError(err) {
  return {
    name: err && err.constructor ? err.constructor.name : typeof err,
    message: err && err.message ? String(err.message) : String(err),
    errors: err && Array.isArray(err.errors) ? err.errors.map(String) : [],
  };
}

function resultSummary(result) {
  return {
    status: result.status,
    function: result.functionName,
    controlid: result.controlId,
    key: result.key == null ? null : String(result.key),
    listtype: result.listType == null ? null : result.listType,
    count: result.count == null ? null : result.count,
    totalcount: result.totalCount == null ? null : result.totalCount,
    numremaining: result.numRemaining == null ? null : result.numRemaining,
    resultId: result.resultId == null ? null : result.resultId,
    data: (result.data || []).map(flat),
  };
}

// --- state shared by scenarios ----------------------------------------------------------------
const state = { config: null, client: null, lookups: {} };

async function execute(fn, rcOverrides) {
  const response = await state.client.execute(fn, requestConfig(rcOverrides));
  return response.getResult();
}

async function readAll(object, pageSize) {
  const first = new F.Common.ReadByQuery();
  first.objectName = object;
  first.pageSize = pageSize || 1000;
  let result = await execute(first);
  const rows = (result.data || []).map(flat);
  const pages = [resultSummaryNoData(result)];
  while (result.numRemaining > 0 && result.resultId) {
    const more = new F.Common.ReadMore();
    more.resultId = result.resultId;
    result = await execute(more);
    rows.push(...(result.data || []).map(flat));
    pages.push(resultSummaryNoData(result));
    if (pages.length > 500) {
      throw new Error("readMore did not terminate");
    }
  }
  return { rows, pages };
}

function resultSummaryNoData(result) {
  const summary = resultSummary(result);
  summary.rows = summary.data.length;
  delete summary.data;
  return summary;
}

async function lookup(object) {
  if (!state.lookups[object]) {
    state.lookups[object] = (await readAll(object)).rows;
  }
  return state.lookups[object];
}

function isActive(row) {
  const status = (row.STATUS || "").toLowerCase();
  return status === "active" || status === "t" || status === "true";
}

function isTrue(value) {
  const v = (value || "").toLowerCase();
  return v === "true" || v === "t" || v === "1";
}

async function expenseAccounts() {
  const rows = await lookup("GLACCOUNT");
  return rows
    .filter((r) => /^\d+$/.test(r.ACCOUNTNO) && Number(r.ACCOUNTNO) >= 6000 && Number(r.ACCOUNTNO) <= 6999)
    .filter(isActive)
    .filter((r) => !Object.keys(r).some((k) => k.startsWith("REQUIRE") && isTrue(r[k])))
    .filter((r) => !r.MEGAENTITYID)
    .sort((a, b) => Number(a.ACCOUNTNO) - Number(b.ACCOUNTNO));
}

async function unusedAccountNo(taken) {
  const rows = await lookup("GLACCOUNT");
  const used = new Set(rows.map((r) => r.ACCOUNTNO).concat(taken || []));
  const start = 6000 + crypto.randomInt(0, 1000);
  for (let i = 0; i < 1000; i++) {
    const candidate = String(6000 + ((start - 6000 + i) % 1000));
    if (!used.has(candidate)) {
      return candidate;
    }
  }
  throw new Error("no free account number in 6000-6999");
}

// Posts with up to three candidate expense accounts: the seed may restrict some of them.
async function postWithAccounts(build) {
  const candidates = (await expenseAccounts()).slice(0, 3);
  if (candidates.length === 0) {
    throw new Error("no active unrestricted GL account in 6000-6999");
  }
  const attempts = [];
  for (const account of candidates) {
    try {
      const result = await execute(build(account.ACCOUNTNO));
      return { result: resultSummary(result), account: account.ACCOUNTNO, attempts };
    } catch (err) {
      if (!(err instanceof IA.Exceptions.ResultException)) {
        throw err;
      }
      attempts.push({ account: account.ACCOUNTNO, error: describeError(err) });
    }
  }
  const last = attempts[attempts.length - 1];
  const failure = new Error("every candidate account failed: " + JSON.stringify(attempts));
  failure.errors = last.error.errors;
  throw failure;
}

async function readBack(object, key) {
  const read = new F.Common.Read();
  read.objectName = object;
  read.keys = [Number(key)];
  return resultSummary(await execute(read));
}

function lineEntity(...candidates) {
  for (const c of candidates) {
    if (c) {
      return c;
    }
  }
  return defaultEntity;
}

// --- scenarios --------------------------------------------------------------------------------
const scenarios = {};

scenarios.session = async () => {
  const config = await IA.SessionProvider.factory(baseConfig());
  state.config = config;
  state.client = new IA.OnlineClient(config);
  const endpoint = new url.URL(config.endpointUrl);
  return {
    requested_endpoint: aliasUrl,
    endpoint: config.endpointUrl,
    endpoint_host: endpoint.hostname,
    endpoint_port: endpoint.port,
    endpoint_protocol: endpoint.protocol,
    session_id_length: (config.sessionId || "").length,
    entity_id: config.entityId == null ? null : String(config.entityId),
    company_id: text(config.companyId),
    user_id: text(config.userId),
    session_timestamp: text(config.sessionTimestamp),
    session_timeout: text(config.sessionTimeout),
    credentials: config.credentials ? config.credentials.constructor.name : null,
    resolved_names: Array.from(new Set(resolvedNames)),
  };
};

scenarios.readbyquery_paging = async () => {
  const { rows, pages } = await readAll("GLACCOUNT", 7);
  state.lookups.GLACCOUNT = rows;
  const accountNos = rows.map((r) => r.ACCOUNTNO);
  return {
    pages,
    rows: rows.length,
    distinct_accountnos: new Set(accountNos).size,
    entity_owned: rows.filter((r) => r.MEGAENTITYID).map((r) => `${r.ACCOUNTNO}@${r.MEGAENTITYID}`),
    first_row_fields: Object.keys(rows[0] || {}),
    sample: rows.slice(0, 2),
  };
};

scenarios.query_paging = async () => {
  const pages = [];
  const rows = [];
  let offset = 0;
  for (;;) {
    const query = new NewQuery.Query()
      .assignFromObject("GLACCOUNT")
      .assignSelectFields(new NewQuery.QuerySelect.SelectBuilder().addFields(["RECORDNO", "ACCOUNTNO", "TITLE", "STATUS"]).selects)
      .assignOrderBy(new NewQuery.QueryOrderBy.OrderBuilder().addAscending("ACCOUNTNO").orders)
      .assignPageSize(9)
      .assignOffset(offset);
    const result = await execute(query);
    const summary = resultSummary(result);
    rows.push(...summary.data);
    summary.rows = summary.data.length;
    summary.first = summary.data.length ? summary.data[0].ACCOUNTNO : null;
    delete summary.data;
    pages.push(summary);
    offset += summary.rows;
    if (!summary.rows || !result.numRemaining || pages.length > 500) {
      break;
    }
  }
  const filtered = new NewQuery.Query()
    .assignFromObject("GLACCOUNT")
    .assignSelectFields(new NewQuery.QuerySelect.SelectBuilder().addFields(["ACCOUNTNO", "STATUS"]).selects)
    .assignFilter(new NewQuery.QueryFilter.Filter("STATUS").equalTo("active"))
    .assignPageSize(2000);
  const active = resultSummary(await execute(filtered));
  const accountNos = rows.map((r) => r.ACCOUNTNO);
  return {
    pages,
    rows: rows.length,
    distinct_accountnos: new Set(accountNos).size,
    sorted: accountNos.every((v, i) => i === 0 || accountNos[i - 1] <= v),
    fields: Object.keys(rows[0] || {}),
    active_filter: { totalcount: active.totalcount, rows: active.data.length, statuses: Array.from(new Set(active.data.map((r) => r.STATUS))) },
  };
};

scenarios.readbyname = async () => {
  const accounts = await lookup("GLACCOUNT");
  const target = accounts[0].ACCOUNTNO;
  const read = new F.Common.ReadByName();
  read.objectName = "GLACCOUNT";
  read.names = [target];
  const result = resultSummary(await execute(read));
  return { requested: target, expected_title: accounts[0].TITLE, result };
};

scenarios.account_create_update = async () => {
  const accountNo = await unusedAccountNo();
  const create = new F.GeneralLedger.AccountCreate();
  create.accountNo = accountNo;
  create.title = `Interop travel & meals <${accountNo}>`;
  create.accountType = "incomestatement";
  create.normalBalance = "debit";
  create.closingType = "non-closing account";
  create.active = true;
  const created = resultSummary(await execute(create));

  const update = new F.GeneralLedger.AccountUpdate();
  update.accountNo = accountNo;
  update.title = `Interop travel – café ${accountNo}`;
  const updated = resultSummary(await execute(update));

  const read = new F.Common.ReadByName();
  read.objectName = "GLACCOUNT";
  read.names = [accountNo];
  const readBack = resultSummary(await execute(read));
  return { accountno: accountNo, new_title: update.title, created, updated, read_back: readBack };
};

scenarios.cctransaction = async () => {
  const cards = (await lookup("CREDITCARD")).filter(isActive);
  const card = cards.find((c) => (c.LIABILITYTYPE || "Credit") === "Credit") || cards[0];
  if (!card) {
    throw new Error("no active CREDITCARD");
  }
  const entity = lineEntity(card.LOCATION, card.MEGAENTITYID);
  const ref = "INTEROP-CC-" + token();
  const posted = await postWithAccounts((accountNo) => {
    const txn = new F.CashManagement.ChargeCardTransactionCreate();
    txn.chargeCardId = card.CARDID;
    txn.transactionDate = new Date();
    txn.referenceNumber = ref;
    txn.payee = "Hotel Zürich & Co";
    txn.description = "Interop charge <card>";
    const line = new F.CashManagement.ChargeCardTransactionLineCreate();
    line.glAccountNumber = accountNo;
    line.memo = "Lodging";
    line.transactionAmount = 212.5;
    line.locationId = entity;
    txn.lines = [line];
    return txn;
  });
  const readBackResult = await readBack("CCTRANSACTION", posted.result.key);
  return { card: card.CARDID, card_status: card.STATUS, entity, referenceno: ref, ...posted, read_back: readBackResult };
};

scenarios.expense_report = async () => {
  const employees = (await lookup("EMPLOYEE")).filter(isActive);
  const employee = employees[0];
  if (!employee) {
    throw new Error("no active EMPLOYEE");
  }
  const entity = lineEntity(employee.LOCATIONID, employee.MEGAENTITYID);
  const number = "INTEROP-ER-" + token();
  const posted = await postWithAccounts((accountNo) => {
    const report = new F.EmployeeExpense.ExpenseReportCreate();
    report.employeeId = employee.EMPLOYEEID;
    report.transactionDate = new Date();
    report.expenseReportNumber = number;
    report.action = "Submitted";
    report.reasonForExpense = "Interop expense report";
    report.memo = "Team offsite – Montréal";
    const line = new F.EmployeeExpense.ExpenseReportLineCreate();
    line.glAccountNumber = accountNo;
    line.reimbursementAmount = 48.3;
    line.expenseDate = new Date();
    line.paidTo = "Café <Olimpico>";
    line.paidFor = "Lunch";
    line.locationId = entity;
    report.lines = [line];
    return report;
  });
  const readBackResult = await readBack("EEXPENSES", posted.result.key);
  return { employee: employee.EMPLOYEEID, entity, expensereportno: number, ...posted, read_back: readBackResult };
};

scenarios.bill = async () => {
  const vendors = (await lookup("VENDOR")).filter(isActive).filter((v) => !isTrue(v.ONHOLD));
  const vendor = vendors[0];
  if (!vendor) {
    throw new Error("no active VENDOR");
  }
  const entity = lineEntity(vendor.MEGAENTITYID);
  const number = "INTEROP-BILL-" + token();
  const due = new Date();
  due.setDate(due.getDate() + 30);
  const posted = await postWithAccounts((accountNo) => {
    const bill = new F.AccountsPayable.BillCreate();
    bill.vendorId = vendor.VENDORID;
    bill.transactionDate = new Date();
    bill.dueDate = due;
    bill.billNumber = number;
    bill.description = "Interop bill";
    const line = new F.AccountsPayable.BillLineCreate();
    line.glAccountNumber = accountNo;
    line.transactionAmount = 1234.56;
    line.memo = "Software subscription";
    line.locationId = entity;
    bill.lines = [line];
    return bill;
  });
  const readBackResult = await readBack("APBILL", posted.result.key);
  return { vendor: vendor.VENDORID, entity, billno: number, ...posted, read_back: readBackResult };
};

async function expectSessionFailure(overrides) {
  try {
    const config = await IA.SessionProvider.factory(baseConfig(overrides));
    return { failed: false, session_id_length: (config.sessionId || "").length };
  } catch (err) {
    return { failed: true, error: describeError(err) };
  }
}

scenarios.wrong_password = async () => expectSessionFailure({ userPassword: "not-the-password" });

scenarios.unauthorized_sender = async () =>
  expectSessionFailure({ senderId: "unauthorized-partner", senderPassword: "sandbox" });

scenarios.uniqueid_repeat = async () => {
  const controlId = "interop-unique-" + token();
  const first = await unusedAccountNo();
  const second = await unusedAccountNo([first]);
  const attempt = async (accountNo) => {
    const create = new F.GeneralLedger.AccountCreate(controlId);
    create.accountNo = accountNo;
    create.title = "Interop uniqueid " + accountNo;
    create.accountType = "incomestatement";
    create.normalBalance = "debit";
    create.closingType = "non-closing account";
    try {
      return { ok: true, result: resultSummary(await execute(create, { uniqueId: true })) };
    } catch (err) {
      return { ok: false, error: describeError(err) };
    }
  };
  const countOf = async (accountNo) => {
    const read = new F.Common.ReadByQuery();
    read.objectName = "GLACCOUNT";
    read.query = `ACCOUNTNO = '${accountNo}'`;
    read.fields = ["RECORDNO", "ACCOUNTNO"];
    read.pageSize = 10;
    return (await execute(read)).totalCount;
  };
  const initial = await attempt(first);
  const repeated = await attempt(first);
  const repeatedOther = await attempt(second);
  return {
    controlid: controlId,
    first_accountno: first,
    second_accountno: second,
    initial,
    repeated,
    repeated_other_payload: repeatedOther,
    first_count: await countOf(first),
    second_count: await countOf(second),
  };
};

const ORDER = [
  "session",
  "readbyquery_paging",
  "query_paging",
  "readbyname",
  "account_create_update",
  "cctransaction",
  "expense_report",
  "bill",
  "wrong_password",
  "unauthorized_sender",
  "uniqueid_repeat",
];

async function main() {
  const wanted = process.argv.slice(2);
  for (const name of wanted) {
    if (!scenarios[name]) {
      process.stderr.write(`unknown scenario ${name}; known: ${ORDER.join(", ")}\n`);
      process.exit(2);
    }
  }
  const selected = ORDER.filter((name) => name === "session" || wanted.length === 0 || wanted.includes(name));
  for (const name of selected) {
    const started = Date.now();
    let line;
    try {
      if (name !== "session" && !state.client) {
        throw new Error("no session: the session scenario failed");
      }
      line = { scenario: name, ok: true, ...(await scenarios[name]()) };
    } catch (err) {
      line = { scenario: name, ok: false, error: describeError(err) };
    }
    line.ms = Date.now() - started;
    process.stdout.write(JSON.stringify(line) + "\n");
  }
}

main().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
  process.exit(1);
});
