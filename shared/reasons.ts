/**
 * Reason codes: every error, import problem, warning, field check and explanation part the engine
 * reports carries one of these stable codes and its parameters, never a sentence to be parsed. The
 * English texts below define the codes (the CLI and the `message` of an error are made from them);
 * the Thai texts (reasons-th.ts) must cover every code, which the type system checks. Texts use
 * `{{name}}` placeholders; a parameter is a number or a short identifier, never personal data
 * except where the user's own input is repeated to them (a date they typed, a sheet name).
 */

export const EN_REASONS = {
  // Signing in and sessions
  'auth.signInFirst': 'sign in first',
  'auth.sessionExpired': 'the session expired after inactivity: sign in again',
  'auth.wrongCredentials': 'wrong username or password',
  'auth.wrongKey': 'the database key is wrong: the database could not be decrypted',
  'auth.wrongPassphrase': 'the recovery passphrase is wrong',
  'auth.locked': 'this account is locked after repeated failed sign-ins; try again in {{minutes}} minute(s)',
  'auth.forbidden': 'your role may not call {{method}}',
  'auth.foreignSender': 'calls are accepted only from the Watchdesk window',
  'auth.badHarnessToken': 'bad harness token',
  'auth.foreignHost': 'the harness answers only requests addressed to 127.0.0.1 on its own port',
  'auth.foreignOrigin': 'the harness accepts calls only from its own page',
  // Requests refused at the boundary (field problems: `field.*`)
  'request.unknownMethod': 'unknown method "{{method}}"',
  'request.malformed': 'malformed request for {{method}}',
  'request.notJson': 'the request body is not JSON',
  'request.badUrl': 'the request URL is malformed',
  'field.required': 'required',
  'field.invalidType': 'expected {{expected}}',
  'field.tooShort': 'must have at least {{minimum}} characters',
  'field.tooLong': 'must have at most {{maximum}} characters',
  'field.tooSmall': 'must be at least {{minimum}}',
  'field.tooBig': 'must be at most {{maximum}}',
  'field.tooFew': 'must have at least {{minimum}} items',
  'field.tooMany': 'must have at most {{maximum}} items',
  'field.invalidFormat': 'is not in the expected format',
  'field.invalidValue': 'is not one of the allowed values',
  'field.unknownKey': 'is not a field of this request',
  'field.rangeReversed': 'the day range ends before it starts',
  'field.travelerNeedsName': 'a traveler needs a name, a document number, a national ID or an MRZ',
  'field.mrzInName': 'this is a passport MRZ, not a name: enter it as the MRZ (watchdesk match --mrz)',
  'field.invalid': 'is not valid',
  'field.base64': 'must be base64',
  'field.isoDay': 'must be a day written YYYY-MM-DD',
  'field.noSuchDay': 'is not a day of the calendar',
  'field.username': 'username: 2 to 64 letters, digits, dot, dash or underscore',
  'field.score': 'must be a score from 0 to 1',
  'field.needRole': 'choose at least one role',
  'passphrase.tooShort': 'recovery passphrase must be at least {{minimum}} characters',
  // The engine itself
  'index.building': 'the match index is being built ({{percent}}%): screening starts when it is ready',
  'engine.closing': 'Watchdesk is shutting down',
  'engine.stopped': 'internal error: the engine stopped; restart Watchdesk',
  'internal.error': 'internal error: the action was not completed',
  // The centre: sync, status and publishing from a desk (central/sync.ts)
  'central.notJoined': 'this desk has not joined a centre (watchdesk desk register)',
  'central.unreachable': 'the centre could not be reached: this desk keeps working on its own copy and sends what waits at the next sync',
  'central.credentialsRefused': "the centre refused this desk's credentials (revoked, or changed): ask the department's administrator",
  'central.certificateRefused': "the centre's certificate is not the one this desk trusts: nothing was sent",
  'central.refused': "the centre refused the change (its rules or this desk's rights): nothing was changed there",
  'central.syncFailed': 'the sync did not complete: nothing recorded here was lost and it is sent at the next sync',
  'central.notPublisher': 'this desk is not a publishing desk of the centre: lists are published from a desk registered with --publisher',
  'central.noSigningKey': 'your signing key is not unlocked on this desk: sign out, sign in again, then publish',
  'central.badUrl': 'the centre address must be a postgres:// URL with neither user nor password',
  'files.keysMissing': 'the key file {{file}} is missing: restore it from a copy, or restore a backup (the database cannot be opened without it)',
  'files.keysDamaged': 'the key file {{file}} is damaged: restore it from a copy, or restore a backup (the database cannot be opened without it)',
  'files.exists': '{{file}} already exists: choose another name or ask to overwrite it (--overwrite)',
  'files.noSpace': 'there is not enough disk space to write {{file}}: nothing was written; free some space and try again',
  'files.cannotWrite': '{{file}} cannot be written there (no permission, a read-only disk, a missing folder or not a file): nothing was written; choose another place',
  'files.writeFailed': 'writing {{file}} failed ({{code}}): nothing was written; check the disk and try again',
  'files.dbMissing': 'the database file {{file}} does not exist beside its key file: put it back from a copy, or move the key file aside and restore the latest backup (watchdesk restore)',
  'files.dbEmpty': 'the database file {{file}} is empty (cut short or wiped): it is not replaced; move it and its key file aside and restore the latest backup (watchdesk restore)',
  'files.dbNotFile': 'the database path {{file}} is a folder or another kind of file, not a database: move it aside or choose another database path (--db)',
  'db.inUseElsewhere': 'another Watchdesk (the app or the watchdesk command) has this database open: close it, then try again',
  'files.dbDamaged': 'the database file {{file}} is damaged or does not belong to its key file: move it and its key file aside and restore the latest backup (watchdesk restore)',
  // Set-up, accounts, passwords, keys, backups
  'setup.alreadySetUp': 'Watchdesk is already set up here; refusing to create a new database over it',
  'setup.notSetUp': 'Watchdesk is not set up yet',
  'setup.unknownTimeZone': 'unknown time zone (use an IANA name such as Asia/Bangkok)',
  'password.tooShort': 'password must be at least {{minimum}} characters',
  'password.tooLong': 'password must be at most {{maximum}} characters',
  'password.tooSimple': 'password must use at least {{minimum}} different characters',
  'password.containsUsername': 'password must not contain the username',
  'password.common': 'password is too common',
  'account.currentPasswordWrong': 'the current password is wrong',
  'account.notFound': 'no such user',
  'account.usernameTaken': 'that username is already taken',
  'account.disableSelf': 'you cannot disable your own account',
  'account.enableNeedsPassword': 'enabling an account needs a new password for it',
  'account.useResetPassword': 'use reset password to change the password of an enabled account',
  'account.disabled': 'the account is disabled: enable it with a new password instead',
  'account.lastAdmin': 'at least one enabled account must keep the admin role',
  'signing.notGranted': 'this account was not created or enabled by a signed admin change: ask an admin to check the audit trail (audit verify)',
  'signing.keyMismatch': 'your signing key does not match the one the audit trail trusts for your account: ask an admin to reset your password',
  'recovery.needsAdmin': 'recovery needs the username of an enabled admin account',
  'recovery.locked': 'recovery with the passphrase is locked after repeated wrong passphrases; try again in {{minutes}} minute(s)',
  'keys.importRunning': 'an import into list "{{list}}" is running (job {{jobId}}): wait for it to finish or cancel it before rotating the key',
  'backup.notBackup': 'this file is not a Watchdesk backup',
  'backup.damaged': 'the backup file is damaged or incomplete',
  'restore.alreadySetUp': 'Watchdesk is already set up here; restore only where no database exists',
  'restore.needsAdmin': 'restoring needs the username of an enabled admin account in the backup',
  'restore.departmentAccount': "restoring needs an admin account of this desk: an account the department manages cannot restore a backup (its password is set at the centre)",
  'restore.doesNotVerify': 'the backup does not verify: its audit trail does not match its header',
  // Screening, adjudication, crossings
  'hit.notFound': 'no such hit',
  'hit.crossingRecorded': 'the crossing is already recorded; its hits can no longer be changed',
  'screening.notFound': 'no such screening',
  'crossing.alreadyRecorded': 'this crossing is already recorded',
  'crossing.undecidedHits': '{{count}} hit(s) at or above review are undecided: decide each before recording the crossing',
  'crossing.wantedPassed': 'a confirmed hit on a wanted list cannot end as passed',
  'crossing.notFound': 'no such crossing',
  'dashboard.rangeTooLong': 'the dashboard shows at most {{max}} days at a time: choose a shorter range',
  'report.notDecided': 'a hit report can be printed only once the hit is decided',
  'report.noAuditRow': "the audit row of this hit's decision is missing: verify the audit trail",
  'print.failed': 'the report could not be saved as a PDF',
  'anchor.notFound': 'this file holds no Watchdesk audit anchor (not an export, or the anchor was removed)',
  'anchor.damaged': "the file's audit anchor is damaged: {{field}} is missing or malformed",
  'anchor.fileType': 'an audit anchor is read from an xlsx or csv export or a Watchdesk backup, not from a .{{ext}} file',
  // Remembered clearances, corrections and four eyes at the desk (decisions.ts)
  'hit.noPreviousClearance': 'there is no earlier clearance of this document against this entry to apply (the entry may have changed since)',
  'hit.approvalRequired': "clearing a strong hit on this list needs a supervisor's approval: the supervisor enters their own username and password",
  'hit.notDecided': 'the hit has no decision to correct yet',
  'hit.correctionSame': 'the hit already has this decision',
  'hit.correctedBySupervisor': "a supervisor corrected this hit's decision; only a supervisor can change it now",
  'hit.correctionNeedsReason': 'a correction needs a reason',
  'hit.correctionContradictsCrossing': 'the hit is now confirmed on a wanted list, but its crossing was recorded as passed; the crossing record is not changed: follow it up',
  'approval.wrongCredentials': 'wrong supervisor username or password',
  'approval.locked': "the supervisor's account is locked after repeated failed attempts; try again in {{minutes}} minute(s)",
  'approval.notSupervisor': 'the approving account does not hold the supervisor role',
  'approval.sameAsOfficer': 'the approving supervisor must be a different person from the officer who decides',
  'approval.sameAsRequester': 'the approving supervisor must be a different person from the one who asks',
  'manifest.noHeader': 'no header row with a name column was found in the manifest',
  'batch.alreadyRunning': 'you already have a batch screening running: wait for it to finish or cancel it',
  'batch.notFound': 'no such batch screening (a result is kept for the user who started it, for {{minutes}} minutes after it ends)',
  'batch.noResult': 'the batch screening has no result to export yet',
  'batch.internal': 'internal error: the batch screening was not completed',
  // Export jobs (crossings/export-jobs.ts)
  'export.notFound': 'no such export (a finished export is kept for the user who started it, for {{minutes}} minutes, until it is handed out)',
  'export.alreadyRunning': 'you already have an export running: wait for it to finish or cancel it',
  'export.notReady': 'the export has not finished: it is {{state}}',
  'export.taken': 'this export was already handed out: start a new export for another copy',
  'export.internal': 'internal error: the export was not completed',
  'traveler.nationalityNotUsed': 'nationality not recognised; screened without it',
  'traveler.dobByName': 'date of birth: {{detail}}; screened by name',
  'traveler.dobByNameAndYear': 'date of birth: {{detail}}; screened by name and the year',
  'traveler.dobByNameAndMonth': 'date of birth: {{detail}}; screened by name and the year and month',
  // Machine-readable zones (shared/mrz.ts, ICAO Doc 9303); `mrz.field.*` name fields inside other texts
  'mrz.unreadable': 'not a machine-readable zone: {{lines}} line(s), the longest {{length}} characters (a passport has 2 lines of 44, a card 2 of 36 or 3 of 30)',
  'mrz.badCharacters': 'a machine-readable zone holds only A to Z, 0 to 9 and <',
  'mrz.unknownDocumentCode': 'the lines have the length of a passport, card or visa zone, but begin with “{{code}}”: a zone begins with P (passport), I, A or C (card) or V (visa)',
  'mrz.birthDateLeftOut': 'so the date of birth is not used for matching: check it on the document and type it',
  'mrz.visaNumber': 'a visa: its number is the visa’s, not the passport’s, and is not matched; type the passport number to match it',
  'mrz.frenchId': 'an old French identity card (IDFRA): its zone is not an ICAO layout; type the traveler from the card',
  'mrz.field.documentNumber': 'document number',
  'mrz.field.birthDate': 'date of birth',
  'mrz.field.expiry': 'date of expiry',
  'mrz.field.personalNumber': 'personal number (optional data)',
  'mrz.field.composite': 'composite',
  'mrz.checkDigitFailed': 'the {{detail}} check digit does not match: compare the document by eye',
  'mrz.corrected': 'read {{from}} as {{to}} in the {{detail}} (a common OCR confusion; the check digit then passes)',
  'mrz.nameCorrected': 'read {{from}} as {{to}} in the name (digits are never part of a name; names have no check digit)',
  'mrz.nameCut': 'the name fills its MRZ field and may be cut: its last part is matched as the beginning of a name',
  'mrz.invalidDate': 'the {{detail}} is not a date of the calendar',
  'mrz.expired': 'the document expired on {{date}}',
  'mrz.specimen': 'specimen document (state code {{code}}): not a real travel document',
  // Dates (shared/dates.ts), used as {{detail}} above and in import problems
  'date.yearOutOfRange': 'year {{year}} is out of range',
  'date.noSuchMonth': 'month {{month}} does not exist',
  'date.noSuchDay': 'day {{day}} does not exist in {{yearMonth}}',
  'date.notExcelDate': '{{value}} is not an Excel date',
  'date.empty': 'empty date',
  'date.twoDigitYear': 'the year has two digits; write it in full',
  'date.notUnderstood': 'not a date this importer understands',
  'date.compactAmbiguous': 'six or eight digits that can be read as more than one date: write it as dd/mm/yyyy',
  // Field checks and explanation parts of a hit
  'check.sameDocument': 'same document number',
  'check.sameNationalId': 'same national ID number',
  'check.differentDocument': 'different document number (not counted: passports are renewed)',
  'check.sameNationality': 'same nationality',
  'check.differentNationality': 'different nationality',
  'check.sameSex': 'same sex',
  'check.differentSex': 'different sex',
  'check.birthYearDiffers': 'birth year differs by {{years}} year(s)',
  'check.sameBirthYearOnly': 'same birth year (only the year is known on one side)',
  'check.sameBirthYearMonth': 'same birth year and month',
  'check.sameDateOfBirth': 'same date of birth',
  'check.dayMonthSwapped': 'same birth year; day and month swapped',
  'check.differentDayMonth': 'same birth year, different day or month',
  'explain.name': 'name {{score}}',
  'explain.notOnList': 'not on the list: {{tokens}}',
  'explain.notGiven': 'not given by the traveler: {{tokens}}',
  'explain.noName': 'no name given',
  'explain.prefix': 'name cut, its beginning matches',
  // Watchlists and versions
  'list.notFound': 'no such list',
  'list.versionNotFound': 'no such list version',
  'list.versionOtherList': 'that version belongs to another list',
  'list.notPending': 'version {{number}} is not waiting for approval (it is {{state}})',
  'list.fourEyes': 'a different supervisor must approve a version you imported (four eyes)',
  'list.alreadyActive': 'version {{number}} is already the active version',
  'list.neverPublished': 'version {{number}} was never published (it is {{state}})',
  'list.kindMismatch': 'list "{{list}}" is a {{actual}} list, not {{wanted}}',
  'list.weakAboveReview': 'thresholds: weak ({{weak}}) must be below review ({{review}})',
  'list.reviewAboveStrong': 'thresholds: review ({{review}}) must not be above strong ({{strong}})',
  'list.turnOffNeedsApproval': "turning four eyes off needs a second supervisor's approval: the second supervisor enters their own username and password",
  'list.rollbackNeedsApproval': "new versions of this list need a second supervisor, so a rollback needs one too: the second supervisor enters their own username and password",
  // List lifecycle (issue 13): rename, kind, retire, reactivate (watchlists/lifecycle.ts)
  'list.changeNeedsApproval': "new versions of this list need a second supervisor, so renaming it, changing its kind, retiring or reactivating it needs one too: the second supervisor enters their own username and password",
  'list.nameTaken': 'another list is already named "{{name}}"',
  'list.sameName': 'the list already has that name',
  'list.sameKind': 'the list is already of that kind',
  'list.alreadyRetired': 'the list is already retired',
  'list.notRetired': 'the list is not retired: there is nothing to reactivate',
  'list.retired': 'this list is retired: it is not screened and takes no new version until a supervisor reactivates it (Watchlists, Manage list)',
  'list.retireAtCentre': 'this list is published by the centre: it is retired, and brought back, only at the centre (a publishing desk: "Retire at centre", "Publish to centre")',
  // Import jobs and files
  'import.alreadyRunning': 'an import into this list is already running',
  'import.jobNotFound': 'no such import job (finished jobs are kept for a while only)',
  'import.noReport': 'the import has no report yet',
  'import.cancelled': 'the import was cancelled; nothing was changed',
  'import.unreadable': 'the file could not be read',
  'import.workerStopped': 'the import worker stopped',
  'import.internal': 'internal error: the import was not completed',
  'import.sourceDateFuture': "the file says it is dated {{date}}, which is in the future: not used; the list's age is counted from the import",
  'import.sourceDateTooOld': "the file says it is dated {{date}}, more than {{years}} years ago: not believed; the list's age is counted from the import",
  'import.sourceDateUnreadable': 'the file gives its date as "{{text}}", which is not a full date this importer understands: the list\'s age is counted from the import',
  'file.truncatedZip': 'the file is not a complete xlsx (zip) file: it may be truncated',
  'file.zipDamaged': 'the xlsx (zip) directory is damaged',
  'file.zipBomb': 'the xlsx file would expand to more than {{mb}} MB: refused',
  'file.binary': 'the file is binary, not text: is the extension right?',
  'file.notWorkbook': 'the file is not an Excel workbook: is the extension right?',
  'file.workbookDamaged': 'the workbook is damaged and cannot be read',
  'file.empty': 'the file is empty',
  'file.workbookAsCsv': 'the file is an Excel workbook, not CSV: is the extension right?',
  'file.type': 'files of type .{{ext}} cannot be imported (xlsx, xls, csv, tsv)',
  'file.none': 'no file given',
  'file.severalNotOfac': 'several files can be imported together only as the OFAC SDN set (sdn, alt, add)',
  'file.noSheet': 'the workbook has no sheet named "{{sheet}}"',
  'file.noHeader': 'no header row with a name column was found in the first 30 rows of sheet "{{sheet}}"; choose the columns by hand',
  'file.sheetTooWide': 'sheet "{{sheet}}" has {{count}} columns; at most {{max}} are supported',
  'file.rowTooWide': 'row {{row}} has {{count}} columns; at most {{max}} are supported',
  'file.csvQuotes': 'row {{row}}: a quoted cell is not closed as CSV requires (a quote inside a cell is written twice, the cell in quotes): the rows after it would be read as one cell. Nothing was imported; fix the quotes and check the file again',
  'file.ofacBinary': '{{file}} is binary, not an OFAC CSV file',
  'file.notOfac': '{{file}} is not an OFAC sdn, alt or add file',
  'file.xmlDamaged': 'the XML file is damaged and cannot be read',
  'file.notUnList': 'the XML file is not a UN consolidated list (no CONSOLIDATED_LIST element)',
  // Workbook reader (spreadsheet/read.ts): damaged, hostile or unsupported xlsx/xls files
  'file.noSheets': 'the workbook has no sheets',
  'file.sheetMissing': 'sheet "{{sheet}}" is listed in the workbook but its data is missing: the file is damaged',
  'file.noWorkbookPart': 'the file is a zip archive but not an Excel workbook (it has no workbook part)',
  'file.xlsb': 'this is an Excel binary workbook (.xlsb): save it as .xlsx in Excel and import that',
  'file.encrypted': 'the workbook is password-protected: remove the password in Excel, save, and import again',
  'file.zipMethod': 'the workbook uses a compression method that cannot be read: save it again in Excel',
  'file.zipEntryDamaged': 'the workbook is damaged: a compressed part fails its integrity check',
  'file.partXmlDamaged': 'the workbook is damaged: its {{part}} part cannot be read',
  'file.sheetXmlDamaged': 'sheet "{{sheet}}" is damaged and cannot be read',
  'file.sharedStringMissing': 'sheet "{{sheet}}" refers to text the workbook does not hold: the file is damaged',
  'file.rowOutOfRange': 'sheet "{{sheet}}" has a row beyond row {{max}}, the last row Excel allows: the file is damaged',
  'file.rowsOutOfOrder': 'sheet "{{sheet}}" is damaged: row {{row}} comes after a later row',
  'file.tooManyMerges': 'sheet "{{sheet}}" has more than {{max}} merged ranges',
  'file.mergesTooLarge': 'the merged ranges of sheet "{{sheet}}" would fill more than {{max}} cells',
  'file.parseStalled': 'the file stopped being read after {{seconds}} s without progress: it is damaged or crafted',
  'file.parseTooLarge': 'reading the file needed more than {{mb}} MB of memory: it is damaged or crafted',
  'file.unreadable': 'the file could not be read: it is damaged or not a spreadsheet',
  'file.readerStopped': 'the file reader stopped unexpectedly',
  'mapping.unknownField': 'the mapping names an unknown field "{{field}}"',
  'mapping.columnOutOfRange': "the mapping's column for {{field}} is out of range",
  'mapping.noName': 'the mapping has no name column (fullName, givenNames, surname, nativeName or aliases)',
  // Import problems of one row or column
  'row.nameTooLong': 'the name is {{length}} characters long (at most {{max}}): rejected',
  'row.noName': 'the row has no name: rejected',
  'row.dobKeptMonth': 'date of birth not understood ({{detail}}); kept the year and month only',
  'row.dobKeptYear': 'date of birth not understood ({{detail}}); kept the year only',
  'row.dobEmpty': 'date of birth not understood ({{detail}}); left empty',
  'row.sexNotUnderstood': 'sex not understood; left empty',
  'row.nationalityLeftOut': 'nationality not recognised; left out',
  'row.thaiIdCheck': 'Thai national ID check digit does not match; kept as written',
  'row.duplicateId': "id also used on row {{row}}; this row's id made unique",
  'row.samePerson': 'the same person as row {{row}} (a shared document or ID, or the same name and date of birth): both kept, shown as one hit at the desk',
  'row.individualNoName': 'the individual has no name: rejected',
  'row.ofacTooFewColumns': 'the line has {{count}} columns, not 12: rejected',
  'row.dobValueLeftOut': 'date of birth "{{value}}" not understood; left out',
  'row.nationalityValueLeftOut': 'nationality "{{value}}" not recognised; left out',
  'row.formulaKept': 'the cell holds a formula: its computed value was kept as plain text, never evaluated (exports neutralize it)',
  'row.formulaNoValue': 'the cell holds a formula with no computed value: left empty (open and save the file in Excel to store its values)',
  'row.formulaText': 'the text begins with "{{start}}", as a formula does: kept as plain text, never evaluated (exports neutralize it)',
  'row.blank': 'the row is blank: skipped',
  'row.blankRun': 'rows {{from}} to {{to}} are blank: skipped',
  'row.duplicateRow': 'the same as row {{row}} in every field: imported once',
  'column.duplicateHeader': 'column {{other}} has the same header and is the one imported; the values of this column ({{count}} row(s)) are not imported: map it to a field to import them',
  'column.duplicateHeaderRead': 'column {{other}} has the same header: that column is read as {{otherField}}, this one as {{field}}',
  'row.documentNumberLeftOut': 'a document is listed without a number that can be read (no digits): left out',
  'column.notImported': 'this column is not imported: map it to a field if it holds names, dates, documents or references',
  'column.dateOrderAssumed': 'no date in this column tells day and month apart (none has a number over 12 first or second): read day first; set "dateOrder" in the mapping if the file is month first',
  'column.dateOrderConflict': 'this column has dates written day first (first on row {{dayFirstRow}}) and month first (first on row {{monthFirstRow}}): read {{order}}; the dates that do not fit are warned of row by row',
  'column.compactDateAssumed': 'the {{digits}}-digit dates in this column can be read in more than one way: read as {{rule}}; set "compactDates" in the mapping if that is wrong',
  'column.compactDateMixed': 'no one reading fits every {{digits}}-digit date in this column: read as {{rule}} (fits {{fitting}} of {{count}}); the others are warned of row by row',
  'row.idDigitsLost': 'this identifier is stored as a number of {{digits}} digits in the file; a spreadsheet keeps only 15, so its last digits may be wrong: check it against the source',
  // The centre: administration (central/admin.ts)
  'central.notInitialized': 'the centre has no department yet: run watchdesk central init first',
  'central.wrongPassphrase': "the department passphrase does not match the centre's root key",
  'central.passphraseTooShort': 'the department passphrase must be at least {{minimum}} characters',
  'central.deskNotFound': 'no desk of that name or id is registered at the centre',
  'central.deskNameTaken': 'a desk of that name is already registered at the centre',
  'central.keyNotFound': 'no trusted key with that fingerprint at the centre',
  'central.badPublicKey': 'the public key is not an Ed25519 key (32 bytes, base64)',
  'central.keyRevoked': 'that key was revoked and is never trusted again: the account needs a new key',
  'central.purgeDays': 'the purge keeps at least {{minimum}} day(s) of crossings',
  // The centre: department-wide crossings (central/browse.ts)
  'central.exportTooLarge': '{{count}} crossings match, and an export holds at most {{maximum}}: narrow the filter (days, checkpoint)',
  'central.unknownCheckpoint': 'no checkpoint of that name at the centre; its checkpoints are: {{checkpoints}}',
  'central.checkpointOutOfScope': "this desk reads only its own checkpoint's crossings at the centre ({{own}}); another checkpoint's are read from an auditing desk",
  'central.accountRevoked': 'this account was revoked by the department: it cannot sign in, and its keys sign nothing, at any desk',
  'central.badUsername': 'give the username of the account to revoke',
  'central.accountNotHere': "this account is not assigned to this desk's checkpoint: the department's administrator assigns it (watchdesk central account update)",
  'central.accountManagedCentrally': "this account is managed by the department: its roles, password and state are changed at the centre; ask the department's administrator",
  'central.accountNotFound': 'no account of that username at the centre',
  'central.accountRoles': 'an account needs at least one role, among: {{roles}}',
  // The centre: signed list publications (central/publication.ts, publish.ts, pull.ts)
  'central.malformed': 'a publication at the centre is malformed: refused, the list stays as it was',
  'central.untrustedKey': "a publication is signed by a key the department's root key did not certify: refused, the list stays as it was",
  'central.revokedKey': 'a publication is signed by a revoked key: refused, the list stays as it was',
  'central.badSignature': 'a publication does not carry a valid signature of its publisher: refused, the list stays as it was',
  'central.replayed': 'a publication is not newer than the one this desk holds: refused as a replay, the list stays as it was',
  'central.entriesMismatch': "the entries at the centre do not match the publication's signed digest: refused, the list stays as it was",
  'central.nameTaken': "a list published by the centre has the name of a list this desk imported itself: not applied (nothing is renamed); rename the local list or ask the publisher",
  'central.localList': 'the centre publishes a list this desk holds as its own import: left unchanged',
  'central.noActiveVersion': 'the list has no active version to publish',
  'central.publishConflict': 'another publication of this list was made at the same moment: publish again',
  'central.versionNumberTaken': 'the centre holds another version {{number}} of this list (published from another desk): sync, then import and publish again',
  'central.listManagedCentrally': "this list is published by the centre: it is imported, rolled back and set only on a publishing desk, and reaches this desk at its next sync",
} as const satisfies Record<string, string>;

/** A stable reason code. */
export type ReasonCode = keyof typeof EN_REASONS;

/** The `{{placeholder}}` names of a text. */
type Placeholders<S extends string> = S extends `${string}{{${infer P}}}${infer Rest}` ? P | Placeholders<Rest> : never;

/** The parameters a code's text needs, by name. */
export type ReasonParamsOf<C extends ReasonCode> = Record<Placeholders<(typeof EN_REASONS)[C]>, string | number>;

/** Parameters as they travel: numbers and short strings. */
export type ReasonParams = Record<string, string | number>;

/** A code and its parameters, as the engine reports it. */
export interface Reason {
  code: ReasonCode;
  params?: ReasonParams;
}

/** Texts of every code in one language. */
export type ReasonTexts = Record<ReasonCode, string>;

/** A Reason with its parameters checked against the code's text. */
export function reason<C extends ReasonCode>(code: C, ...params: keyof ReasonParamsOf<C> extends never ? [] : [ReasonParamsOf<C>]): Reason {
  return params[0] ? { code, params: params[0] } : { code };
}

/** True for a string that is a known code (the UI's guard for what arrives over a transport). */
export function isReasonCode(code: unknown): code is ReasonCode {
  return typeof code === 'string' && Object.hasOwn(EN_REASONS, code);
}

/** A reason as the contract carries it (contract.ts ReasonView): code, parameters, English text. */
export function reasonView(r: Reason): { reason: ReasonCode; params: ReasonParams; message: string } {
  return { reason: r.code, params: r.params ?? {}, message: reasonText(r) };
}

/** Display texts of parameter values that are codes themselves (a list kind, a version state), by parameter name. */
export type ValueTexts = Partial<Record<string, Record<string, string>>>;

/**
 * The text of `r` in `texts` (English by default), `{{placeholders}}` filled from its parameters
 * (through `values` where a parameter is itself a code); a missing parameter shows as its name.
 */
export function reasonText(r: Reason, texts: ReasonTexts = EN_REASONS, values: ValueTexts = {}): string {
  const text = texts[r.code];
  let out = '';
  let at = 0;
  for (let open = text.indexOf('{{'); open >= 0; open = text.indexOf('{{', at)) {
    const close = text.indexOf('}}', open);
    if (close < 0) break;
    const name = text.slice(open + 2, close);
    const raw = r.params?.[name];
    // A `detail` parameter may name another code (a date problem inside an import problem); it shares the parameters.
    const shown = raw === undefined ? name
      : name === 'detail' && isReasonCode(raw) ? reasonText({ code: raw, params: r.params }, texts, values)
        : values[name]?.[String(raw)] ?? String(raw);
    out += text.slice(at, open) + shown;
    at = close + 2;
  }
  return out + text.slice(at);
}
