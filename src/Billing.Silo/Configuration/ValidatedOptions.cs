using Microsoft.Extensions.Options;

namespace Billing.Silo.Configuration;

public static class ValidatedOptions
{
    /// <summary>Options bound from configuration and checked when the host starts: a bad value stops start-up with every problem listed.</summary>
    public static void AddValidatedOptions<TOptions>(this IServiceCollection services, IConfiguration section, Func<TOptions, IEnumerable<string>> validate)
        where TOptions : class
    {
        services.AddOptions<TOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new DelegatingValidator<TOptions>(validate));
    }

    private sealed class DelegatingValidator<TOptions>(Func<TOptions, IEnumerable<string>> validate) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var errors = validate(options).ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
