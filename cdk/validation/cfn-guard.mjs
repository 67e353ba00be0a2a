// cfn-guard 3 with AWS Control Tower's proactive controls, both shipped by npm @cdklabs/cdk-validator-cfnguard.
// Usage: node cdk/validation/cfn-guard.mjs <StackName>.template.json...
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { finding, main } from './findings.mjs';

const require = createRequire(import.meta.url);
const packageRoot = dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
const rulesDirectory = join(packageRoot, 'rules', 'control-tower', 'cfn-guard');

/** cfn-guard's exit code when every rule passed, and when at least one failed. */
const Passed = 0;
const RuleFailed = 19;

/** The packaged binary for this machine, made executable if the package was unpacked without the execute bit. */
export function guardBinary() {
    const os = { linux: 'ubuntu', darwin: 'macos' }[process.platform];
    const arch = { x64: 'x86_64', arm64: 'aarch64' }[process.arch];
    if (!os || !arch) {
        throw new Error(`no cfn-guard binary is packaged for ${process.platform}/${process.arch}`);
    }
    const binary = join(packageRoot, 'bin', os, arch, 'cfn-guard');
    try {
        accessSync(binary, constants.X_OK);
    } catch {
        chmodSync(binary, statSync(binary).mode | 0o111);
    }
    return binary;
}

/** Every template against every Control Tower rule, in one cfn-guard run. */
export function validate(files) {
    // --structured: one JSON document for all data files, without the human-readable summary around it.
    const args = [
        'validate', '--rules', rulesDirectory, '--structured', '--output-format', 'json', '--show-summary', 'none',
        ...files.flatMap((file) => ['--data', file]),
    ];
    const run = spawnSync(guardBinary(), args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    if (run.error) {
        throw run.error;
    }
    if (run.status !== Passed && run.status !== RuleFailed) {
        throw new Error(`cfn-guard exited with ${run.status ?? run.signal}: ${run.stderr}${run.stdout}`.slice(0, 4000));
    }
    let reports;
    try {
        reports = JSON.parse(run.stdout);
    } catch (error) {
        throw new Error(`cfn-guard printed no JSON (${error.message}): ${run.stdout.slice(0, 2000)}`);
    }
    return findingsOf(reports, files, run.status === RuleFailed);
}

/**
 * cfn-guard's structured report has one entry per data file; each failed rule is a tree of checks whose clauses name
 * property paths such as `/Resources/<logical id>/Properties/...`. A finding is one (rule, resource) pair.
 */
function findingsOf(reports, files, anyRuleFailed) {
    if (!Array.isArray(reports)) {
        throw new Error('cfn-guard report is not a list');
    }
    const byPath = new Map(files.map((file) => [resolve(file), file]));
    const seen = new Set();
    const findings = [];
    for (const report of reports) {
        const file = byPath.get(resolve(report.name ?? ''));
        if (file === undefined) {
            throw new Error(`cfn-guard reported on ${report.name}, which it was not given`);
        }
        seen.add(file);
        if (!['PASS', 'FAIL', 'SKIP'].includes(report.status)) {
            throw new Error(`cfn-guard reported status ${report.status} for ${file}`);
        }
        if ((report.status === 'FAIL') !== (report.not_compliant?.length > 0)) {
            const failed = report.not_compliant?.length;
            throw new Error(`cfn-guard reported status ${report.status} for ${file} with ${failed} failed rules`);
        }
        for (const failure of report.not_compliant ?? []) {
            findings.push(...ruleFindings(failure, file));
        }
    }
    const missing = files.filter((file) => !seen.has(file));
    if (missing.length > 0) {
        throw new Error(`cfn-guard did not report on ${missing.join(', ')}`);
    }
    if (anyRuleFailed !== findings.length > 0) {
        const exit = anyRuleFailed ? 'a rule failed' : 'all rules passed';
        throw new Error(`cfn-guard's exit code says ${exit}, its report has ${findings.length} findings`);
    }
    return findings;
}

function ruleFindings(failure, file) {
    const rule = failure.Rule;
    if (!rule?.name) {
        throw new Error(`unexpected cfn-guard failure entry in ${file}: ${JSON.stringify(failure).slice(0, 500)}`);
    }
    const control = { id: null, title: null };
    const resources = new Set();
    collect(rule, control, resources);
    const ruleId = control.id ?? rule.name;
    const message = `${control.title ?? 'Control Tower rule failed'} (${rule.name})`;
    const ids = resources.size > 0 ? [...resources].sort() : [''];
    return ids.map((resource) => finding('cfn-guard', ruleId, file, resource, message));
}

/** The control id and title (`[CT.S3.PR.1]: Require ...`) and every resource whose properties a failed clause read. */
function collect(node, control, resources) {
    if (Array.isArray(node)) {
        node.forEach((item) => collect(item, control, resources));
        return;
    }
    if (node === null || typeof node !== 'object') {
        return;
    }
    const custom = node.messages?.custom_message;
    if (control.id === null && typeof custom === 'string') {
        const match = /\[(CT\.[A-Z0-9]+\.PR\.\d+)\]:\s*([^\n]*)/.exec(custom);
        if (match) {
            control.id = match[1];
            control.title = match[2].trim();
        }
    }
    for (const [key, value] of Object.entries(node)) {
        if (key === 'path' && typeof value === 'string') {
            const match = /^\/Resources\/([^/[]+)/.exec(value);
            if (match) {
                resources.add(match[1]);
            }
        } else {
            collect(value, control, resources);
        }
    }
}

await main(validate);
