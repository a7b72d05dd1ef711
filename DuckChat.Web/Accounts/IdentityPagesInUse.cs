using Microsoft.AspNetCore.Mvc.ApplicationModels;

namespace DuckChat.Web.Accounts;

/// <summary>
/// Identity.UI maps about thirty pages (two-factor, external logins, email confirmation, personal data download, ...).
/// DuckChat uses these; every other one gets no route, so it answers 404 like any unknown address: pages nobody
/// maintains cannot leak which accounts exist or change an account behind DuckChat's back.
/// </summary>
public sealed class IdentityPagesInUse : IPageRouteModelConvention
{
    public static readonly IReadOnlySet<string> Kept = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "/Account/Login",
        "/Account/Logout",
        "/Account/Register",
        "/Account/ForgotPassword",
        "/Account/ForgotPasswordConfirmation",
        "/Account/ResetPassword",
        "/Account/ResetPasswordConfirmation",
        "/Account/AccessDenied",
        "/Account/Manage/Index",
        "/Account/Manage/ChangePassword",
        "/Account/Manage/DeletePersonalData",
        "/Account/Manage/MissedMail",
        "/Account/StopMissedMail",
    };

    public void Apply(PageRouteModel model)
    {
        if (model.AreaName == "Identity" && !Kept.Contains(model.ViewEnginePath))
        {
            model.Selectors.Clear();
        }
    }
}
