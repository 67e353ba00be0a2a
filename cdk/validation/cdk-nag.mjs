// cdk-nag 3's AwsSolutions and Serverless packs over synthesized templates, each included into a stack of its own with
// cloudformation-include. Usage: node cdk/validation/cdk-nag.mjs <StackName>.template.json...
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finding, main, readTemplate } from './findings.mjs';

const require = createRequire(import.meta.url);
const { App, Stack } = require('aws-cdk-lib');
const { CfnInclude } = require('aws-cdk-lib/cloudformation-include');
const { AwsSolutionsChecks, ServerlessChecks } = require('cdk-nag');

/**
 * The template without what the CDK adds to every stack for its own tooling: the bootstrap-version parameter and rule
 * and the CDKMetadata resource. (Its condition, CDKMetadataAvailable, may stay: an unused condition is no resource.)
 */
export function withoutCdkBookkeeping(template) {
    const copy = structuredClone(template);
    delete copy.Parameters?.BootstrapVersion;
    delete copy.Rules?.CheckBootstrapVersion;
    delete copy.Resources?.CDKMetadata;
    return copy;
}

/**
 * cdk-nag 3 packs are policy-validation plugins (`Validations.of(app).addPlugins(...)`), and `validateScope(scope)` is
 * their direct entry point: it walks the constructs under `scope` and returns the violations, errors and warnings
 * alike, as data. Each resource is checked on its own: a report keeps one description per rule, so checking a whole
 * stack at once would give every flagged resource the message of the first one (a rule that could not evaluate an
 * intrinsic function would read like a real violation).
 */
function checkResource(resource, packs) {
    const violations = [];
    for (const { pack, verbose } of packs) {
        for (const violation of pack.validateScope(resource).violations) {
            if (violation.violatingResources.some((r) => r.constructPath !== resource.node.path)) {
                throw new Error(`${violation.ruleName} flagged another construct while checking ${resource.node.path}`);
            }
            violations.push({ ...violation, description: describe(violation, verbose, resource) });
        }
    }
    return violations;
}

/**
 * The rule's description. A rule that threw (it met an intrinsic function it cannot evaluate) says only that unless
 * the pack is verbose; the verbose pack's description adds the error, which names what the rule could not read.
 */
function describe(violation, verbosePack, resource) {
    if (!violation.description.startsWith('Rule threw an error')) {
        return violation.description;
    }
    const detailed = verbosePack.validateScope(resource).violations.find((v) => v.ruleName === violation.ruleName);
    return detailed?.description ?? violation.description;
}

export function validate(files) {
    const scratch = mkdtempSync(join(tmpdir(), 'cdk-nag-'));
    try {
        const app = new App({ outdir: join(scratch, 'cdk.out') });
        const packs = [AwsSolutionsChecks, ServerlessChecks].map((Pack) => ({
            pack: new Pack(),
            verbose: new Pack(undefined, { verbose: true }),
        }));
        return files.flatMap((file, index) => {
            const template = withoutCdkBookkeeping(readTemplate(file));
            const included = join(scratch, `${index}.template.json`);
            writeFileSync(included, JSON.stringify(template));
            const include = new CfnInclude(new Stack(app, `Template${index}`), 'Template', { templateFile: included });
            return Object.keys(template.Resources ?? {}).flatMap((logicalId) =>
                checkResource(include.getResource(logicalId), packs).map(({ ruleName, severity, description }) =>
                    finding('cdk-nag', ruleName, file, logicalId, `${severity}: ${description}`)));
        });
    } finally {
        rmSync(scratch, { recursive: true, force: true });
    }
}

await main(validate);
